package twiliotest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// TestSignTwilioVector checks the peer's signing against the vector in
// Twilio's Go helper library tests (client/request_validator_test.go).
func TestSignTwilioVector(t *testing.T) {
	t.Parallel()
	params := url.Values{
		"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"},
	}
	require.Equal(t, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params))
}

type page struct {
	Messages []struct {
		SID      string  `json:"sid"`
		Body     string  `json:"body"`
		DateSent *string `json:"date_sent"`
		Status   string  `json:"status"`
	} `json:"messages"`
	NextPageURI *string `json:"next_page_uri"`
	PageSize    int     `json:"page_size"`
}

func get(t *testing.T, s *Server, user, pass, uri string) (int, page, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+uri, nil)
	require.NoError(t, err)
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw map[string]any
	var p page
	dec := json.NewDecoder(resp.Body)
	require.NoError(t, dec.Decode(&raw))
	b, _ := json.Marshal(raw)
	require.NoError(t, json.Unmarshal(b, &p))
	return resp.StatusCode, p, raw
}

func TestListFiltersAndPages(t *testing.T) {
	t.Parallel()
	day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clk := clock.NewManual(day1)
	s := New(t, clk)
	add := func(body string, sent bool) {
		s.mu.Lock()
		s.seq++
		m := &Message{SID: "SM" + strings.Repeat("0", 31) + string(rune('0'+s.seq)), AccountSID: s.AccountSID,
			To: "+14155550100", From: DefaultFrom, Body: body, Status: "queued", Direction: "outbound-api",
			DateCreated: clk.Now(), DateUpdated: clk.Now()}
		if sent {
			m.DateSent, m.Status = clk.Now(), "sent"
		}
		s.messages = append(s.messages, m)
		s.mu.Unlock()
	}
	add("d1", true)
	clk.Advance(24 * time.Hour)
	add("d2", true)
	add("queued", false)
	clk.Advance(24 * time.Hour)
	add("d3", true)

	base := "/2010-04-01/Accounts/" + s.AccountSID + "/Messages.json?"
	tests := []struct {
		query string
		want  []string
	}{
		{query: "", want: []string{"queued", "d3", "d2", "d1"}},
		{query: "DateSent=2026-03-02", want: []string{"d2"}},
		{query: url.Values{"DateSent>": {"2026-03-02"}}.Encode(), want: []string{"d3", "d2"}},
		{query: url.Values{"DateSent<": {"2026-03-02"}}.Encode(), want: []string{"d1"}},
		{query: "To=%2B14155550199", want: nil},
		{query: "From=" + url.QueryEscape(DefaultFrom), want: []string{"queued", "d3", "d2", "d1"}},
	}
	for _, tc := range tests {
		status, p, _ := get(t, s, s.AccountSID, s.AuthToken, base+tc.query)
		require.Equal(t, http.StatusOK, status)
		var got []string
		for _, m := range p.Messages {
			got = append(got, m.Body)
		}
		require.Equal(t, tc.want, got, tc.query)
	}

	// Paging: two per page, following next_page_uri to the end.
	var bodies []string
	uri := base + "PageSize=2"
	for uri != "" {
		_, p, _ := get(t, s, s.AccountSID, s.AuthToken, uri)
		require.Equal(t, 2, p.PageSize)
		for _, m := range p.Messages {
			bodies = append(bodies, m.Body)
		}
		uri = ""
		if p.NextPageURI != nil {
			uri = *p.NextPageURI
		}
	}
	require.Equal(t, []string{"queued", "d3", "d2", "d1"}, bodies)

	_, p, raw := get(t, s, s.AccountSID, s.AuthToken, base)
	require.Nil(t, p.Messages[0].DateSent, "a queued message has a null date_sent")
	require.Nil(t, raw["next_page_uri"])
	require.Contains(t, raw, "first_page_uri")

	status, _, raw := get(t, s, s.AccountSID, "wrong", base)
	require.Equal(t, http.StatusUnauthorized, status)
	require.InDelta(t, 20003, raw["code"], 0)
	status, _, raw = get(t, s, s.AccountSID, s.AuthToken, base+"DateSent=yesterday")
	require.Equal(t, http.StatusBadRequest, status)
	require.InDelta(t, 400, raw["status"], 0)
}

func TestSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want int
	}{
		{"hi", 1},
		{strings.Repeat("a", 160), 1},
		{strings.Repeat("a", 161), 2},
		{strings.Repeat("a", 306), 2},
		{strings.Repeat("a", 307), 3},
		{strings.Repeat("é", 70), 1},
		{strings.Repeat("é", 71), 2},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, segments(tc.body), len(tc.body))
	}
}
