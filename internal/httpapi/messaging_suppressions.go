package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// MaxSuppressionImport bounds the addresses of one POST /v1/suppressions.
const MaxSuppressionImport = 10_000

// e164 is an E.164 phone number: +, a country code not starting with 0, at most 15 digits.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// normalizeAddress returns addr as suppressions store it on channel: email
// trimmed and lower-cased, sms in E.164 (required as sent), others trimmed.
func normalizeAddress(channel, addr string) (string, error) {
	a := strings.TrimSpace(addr)
	switch channel {
	case "email":
		a = strings.ToLower(a)
		at := strings.IndexByte(a, '@')
		if at <= 0 || at == len(a)-1 || strings.ContainsAny(a, " \t\r\n") {
			return "", fmt.Errorf("%q is not an email address", addr)
		}
	case "sms":
		if !e164.MatchString(a) {
			return "", fmt.Errorf("%q is not an E.164 phone number such as +14155550123", addr)
		}
	default:
		if a == "" {
			return "", errors.New("empty address")
		}
	}
	return a, nil
}

// suppressionImport is the body of POST /v1/suppressions.
type suppressionImport struct {
	Channel   string   `json:"channel"`
	Addresses []string `json:"addresses"`
	Reason    string   `json:"reason,omitempty"`
}

// importSuppressions adds suppressions in bulk. Every address is checked
// first: one bad address rejects the request, listing each bad one.
func (s *Server) importSuppressions(w http.ResponseWriter, r *http.Request) error {
	var req suppressionImport
	if err := decode(r, &req); err != nil {
		return err
	}
	channel := strings.ToLower(strings.TrimSpace(req.Channel))
	if channel == "" {
		return badField("channel", "channel is required, e.g. \"email\" or \"sms\"")
	}
	if len(req.Addresses) == 0 || len(req.Addresses) > MaxSuppressionImport {
		return badField("addresses", "send 1 to %d addresses per request, got %d", MaxSuppressionImport, len(req.Addresses))
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" {
		reason = "import"
	}
	var (
		addrs []string
		seen  = make(map[string]bool, len(req.Addresses))
		bad   []journey.Problem
	)
	for i, raw := range req.Addresses {
		a, err := normalizeAddress(channel, raw)
		if err != nil {
			bad = append(bad, journey.Problem{Path: "addresses[" + strconv.Itoa(i) + "]", Msg: err.Error()})
			continue
		}
		if !seen[a] {
			seen[a] = true
			addrs = append(addrs, a)
		}
	}
	if len(bad) > 0 {
		return &Error{Code: CodeBadRequest, Field: bad[0].Path, Problems: bad,
			Message: fmt.Sprintf("%d of %d addresses are not valid %s addresses; the first: %s; nothing was imported", len(bad), len(req.Addresses), channel, bad[0].Msg)}
	}
	now := s.now()
	for i, a := range addrs {
		if err := s.d.State.AddSuppression(r.Context(), store.Suppression{Channel: channel, Address: a, Reason: reason, CreatedAt: now}); err != nil {
			return fmt.Errorf("import suppressions (%d of %d added): %w", i, len(addrs), err)
		}
	}
	s.auditf(r, "suppression.import", channel, "addresses=%d reason=%s", len(addrs), reason)
	writeJSON(w, http.StatusOK, map[string]any{"channel": channel, "added": len(addrs), "reason": reason})
	return nil
}

// listSuppressions is GET /v1/suppressions?channel=&cursor=&limit=.
func (s *Server) listSuppressions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	channel := strings.ToLower(strings.TrimSpace(q.Get("channel")))
	if channel == "" {
		return badField("channel", "channel is required, e.g. ?channel=email")
	}
	limit, err := intParam(r, "limit", 100, 1000)
	if err != nil {
		return err
	}
	list, err := s.d.State.ListSuppressions(r.Context(), channel, q.Get("cursor"), limit+1)
	if err != nil {
		return err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = list[len(list)-1].Address
	}
	if list == nil {
		list = []store.Suppression{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"channel": channel, "suppressions": list, "next_cursor": next})
	return nil
}
