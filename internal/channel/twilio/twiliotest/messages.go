package twiliotest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is a Message resource as the server holds it.
type Message struct {
	SID                 string
	AccountSID          string
	To                  string
	From                string // empty while a Messaging Service has not picked one
	Body                string
	Status              string
	Direction           string
	MessagingServiceSID string
	StatusCallback      string
	DateCreated         time.Time
	DateUpdated         time.Time
	DateSent            time.Time // zero until the message leaves the queue
	ErrorCode           int
	NumSegments         int
}

// resource is the JSON representation Twilio returns.
type resource struct {
	AccountSID          string            `json:"account_sid"`
	APIVersion          string            `json:"api_version"`
	Body                string            `json:"body"`
	DateCreated         string            `json:"date_created"`
	DateSent            *string           `json:"date_sent"`
	DateUpdated         string            `json:"date_updated"`
	Direction           string            `json:"direction"`
	ErrorCode           *int              `json:"error_code"`
	ErrorMessage        *string           `json:"error_message"`
	From                *string           `json:"from"`
	MessagingServiceSID *string           `json:"messaging_service_sid"`
	NumMedia            string            `json:"num_media"`
	NumSegments         string            `json:"num_segments"`
	Price               *string           `json:"price"`
	PriceUnit           string            `json:"price_unit"`
	SID                 string            `json:"sid"`
	Status              string            `json:"status"`
	SubresourceURIs     map[string]string `json:"subresource_uris"`
	To                  string            `json:"to"`
	URI                 string            `json:"uri"`
}

// rfc2822 is how Twilio writes dates: "Thu, 30 Jul 2015 20:12:31 +0000".
const rfc2822 = time.RFC1123Z

func (m *Message) resource() resource {
	base := "/2010-04-01/Accounts/" + m.AccountSID + "/Messages/" + m.SID
	r := resource{
		AccountSID:      m.AccountSID,
		APIVersion:      "2010-04-01",
		Body:            m.Body,
		DateCreated:     m.DateCreated.UTC().Format(rfc2822),
		DateUpdated:     m.DateUpdated.UTC().Format(rfc2822),
		Direction:       m.Direction,
		NumMedia:        "0",
		NumSegments:     strconv.Itoa(m.NumSegments),
		PriceUnit:       "USD",
		SID:             m.SID,
		Status:          m.Status,
		SubresourceURIs: map[string]string{"media": base + "/Media.json", "feedback": base + "/Feedback.json"},
		To:              m.To,
		URI:             base + ".json",
	}
	if !m.DateSent.IsZero() {
		d := m.DateSent.UTC().Format(rfc2822)
		r.DateSent = &d
	}
	if m.ErrorCode != 0 {
		code, msg := m.ErrorCode, "Message Delivery - error "+strconv.Itoa(m.ErrorCode)
		r.ErrorCode, r.ErrorMessage = &code, &msg
	}
	if m.From != "" {
		from := m.From
		r.From = &from
	}
	if m.MessagingServiceSID != "" {
		sid := m.MessagingServiceSID
		r.MessagingServiceSID = &sid
	}
	return r
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// Magic recipients, after Twilio's test credentials.
var magicTo = map[string]struct {
	code int
	msg  string
}{
	"+15005550001": {21211, "The 'To' number +15005550001 is not a valid phone number."},
	"+15005550009": {21614, "'To' number is not a valid mobile number"},
	"+15005550004": {21610, "Attempt to send to unsubscribed recipient"},
}

// create implements POST .../Messages.json.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Invalid form body")
		return
	}
	f := r.PostForm
	to, from, body, svc, cb := f.Get("To"), f.Get("From"), f.Get("Body"), f.Get("MessagingServiceSid"), f.Get("StatusCallback")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case to == "":
		writeError(w, http.StatusBadRequest, 21604, "A 'To' phone number is required.")
		return
	case from == "" && svc == "":
		writeError(w, http.StatusBadRequest, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.")
		return
	case body == "" && f.Get("MediaUrl") == "" && f.Get("ContentSid") == "":
		writeError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	case !e164.MatchString(to):
		writeError(w, http.StatusBadRequest, 21211, fmt.Sprintf("The 'To' number %s is not a valid phone number.", to))
		return
	case svc != "" && !s.services[svc]:
		writeError(w, http.StatusBadRequest, 21705, fmt.Sprintf("The Messaging Service Sid %s is invalid.", svc))
		return
	case svc == "" && !s.numbers[from]:
		writeError(w, http.StatusBadRequest, 21606, fmt.Sprintf("The 'From' phone number provided (%s) is not a valid message-capable Twilio phone number for this destination/account.", from))
		return
	case utf8.RuneCountInString(body) > 1600:
		writeError(w, http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit.")
		return
	case cb != "" && !validCallback(cb):
		writeError(w, http.StatusBadRequest, 21609, "Invalid StatusCallback url")
		return
	}
	if magic, ok := magicTo[to]; ok {
		writeError(w, http.StatusBadRequest, magic.code, magic.msg)
		return
	}
	now := s.clk.Now()
	s.seq++
	m := &Message{
		SID:            fmt.Sprintf("SM%032x", s.seq),
		AccountSID:     s.AccountSID,
		To:             to,
		From:           from,
		Body:           body,
		Status:         "queued",
		Direction:      "outbound-api",
		StatusCallback: cb,
		DateCreated:    now,
		DateUpdated:    now,
		NumSegments:    segments(body),
	}
	if svc != "" {
		// A Messaging Service answers "accepted" and picks a sender later.
		m.MessagingServiceSID, m.From, m.Status, m.NumSegments = svc, "", "accepted", 0
	}
	s.messages = append(s.messages, m)
	if s.dropNext > 0 {
		s.dropNext--
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	writeJSON(w, http.StatusCreated, m.resource())
}

// validCallback applies Twilio's rule: an absolute http(s) URL whose host
// has no underscore.
func validCallback(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.Contains(u.Host, "_")
}

// segments counts SMS segments: 160 GSM-7 characters (153 when
// concatenated), or 70 UCS-2 characters (67) once any is outside ASCII —
// a simplification of the GSM-7 alphabet.
func segments(body string) int {
	n := utf8.RuneCountInString(body)
	single, multi := 160, 153
	for _, r := range body {
		if r > 127 {
			single, multi = 70, 67
			break
		}
	}
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

// list implements GET .../Messages.json with the documented filters To,
// From, DateSent, DateSent< and DateSent> (YYYY-MM-DD, UTC), sorted by
// date_sent, most recent first, paged by PageSize and PageToken.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, err := listFilter(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, 20001, err.Error())
		return
	}
	size := 50
	if v := q.Get("PageSize"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 {
			writeError(w, http.StatusBadRequest, 20001, "Invalid PageSize")
			return
		}
		size = min(size, 1000)
	}
	s.mu.Lock()
	var all []*Message
	for _, m := range s.messages {
		if match(m) {
			cp := *m
			all = append(all, &cp)
		}
	}
	s.mu.Unlock()
	slices.SortStableFunc(all, newestFirst)

	start := 0
	if tok := q.Get("PageToken"); tok != "" {
		i := slices.IndexFunc(all, func(m *Message) bool { return "PA"+m.SID == tok })
		if i < 0 {
			writeError(w, http.StatusBadRequest, 20001, "Invalid PageToken")
			return
		}
		start = i + 1
	}
	pageNo, _ := strconv.Atoi(q.Get("Page"))
	end := min(start+size, len(all))
	page := struct {
		End             int        `json:"end"`
		FirstPageURI    string     `json:"first_page_uri"`
		NextPageURI     *string    `json:"next_page_uri"`
		Page            int        `json:"page"`
		PageSize        int        `json:"page_size"`
		PreviousPageURI *string    `json:"previous_page_uri"`
		Start           int        `json:"start"`
		URI             string     `json:"uri"`
		Messages        []resource `json:"messages"`
	}{Page: pageNo, PageSize: size, Start: start, End: max(end-1, start), URI: r.URL.RequestURI(), Messages: []resource{}}
	for _, m := range all[start:end] {
		page.Messages = append(page.Messages, m.resource())
	}
	first := cloneQuery(q)
	first.Del("Page")
	first.Del("PageToken")
	first.Set("PageSize", strconv.Itoa(size))
	page.FirstPageURI = r.URL.Path + "?" + first.Encode()
	if end < len(all) {
		next := cloneQuery(first)
		next.Set("Page", strconv.Itoa(pageNo+1))
		next.Set("PageToken", "PA"+all[end-1].SID)
		uri := r.URL.Path + "?" + next.Encode()
		page.NextPageURI = &uri
	}
	writeJSON(w, http.StatusOK, page)
}

func listFilter(q url.Values) (func(*Message) bool, error) {
	day := func(name string) (time.Time, bool, error) {
		v := q.Get(name)
		if v == "" {
			return time.Time{}, false, nil
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("invalid %s value %s", name, v)
		}
		return d, true, nil
	}
	on, hasOn, err1 := day("DateSent")
	before, hasBefore, err2 := day("DateSent<")
	after, hasAfter, err3 := day("DateSent>")
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return nil, err
		}
	}
	to, from := q.Get("To"), q.Get("From")
	return func(m *Message) bool {
		if (to != "" && m.To != to) || (from != "" && m.From != from) {
			return false
		}
		if !hasOn && !hasBefore && !hasAfter {
			return true
		}
		if m.DateSent.IsZero() { // not sent yet: no DateSent filter matches
			return false
		}
		sent := m.DateSent.UTC()
		return (!hasOn || (!sent.Before(on) && sent.Before(on.AddDate(0, 0, 1)))) &&
			(!hasBefore || !sent.After(before)) &&
			(!hasAfter || !sent.Before(after))
	}, nil
}

// newestFirst orders by date_sent descending; unsent messages (the newest
// by nature) come first, newest created first.
func newestFirst(a, b *Message) int {
	switch {
	case a.DateSent.IsZero() != b.DateSent.IsZero():
		if a.DateSent.IsZero() {
			return -1
		}
		return 1
	case !a.DateSent.Equal(b.DateSent):
		return b.DateSent.Compare(a.DateSent)
	case !a.DateCreated.Equal(b.DateCreated):
		return b.DateCreated.Compare(a.DateCreated)
	default:
		return strings.Compare(b.SID, a.SID)
	}
}

func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}
