package twilio

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Lookup paging bounds: PageSize is Twilio's page length (max 1000), and
// Lookup gives up after maxLookupPages pages rather than walk an account's
// whole history.
const (
	lookupPageSize = 100
	maxLookupPages = 50
)

// dateLayout is RFC 2822 as Twilio writes date_created.
const dateLayout = time.RFC1123Z

type messagePage struct {
	Messages    []message `json:"messages"`
	NextPageURI string    `json:"next_page_uri"`
}

// Lookup reports whether Twilio holds an outbound message for m created at
// or after since: same To and Body, from the configured sender. The
// package documentation lists what this content match cannot see.
func (s *Sender) Lookup(ctx context.Context, m channel.Message, since time.Time) (channel.Receipt, bool, error) {
	if m.To == "" {
		return channel.Receipt{}, false, fmt.Errorf("look up sms: message has no recipient")
	}
	q := url.Values{
		"To": {m.To},
		// Twilio's inequality filter is the parameter name "DateSent>"
		// with value YYYY-MM-DD: on or after midnight UTC of that day.
		"DateSent>": {since.UTC().Format(time.DateOnly)},
		"PageSize":  {fmt.Sprint(lookupPageSize)},
	}
	if s.cfg.MessagingServiceSID == "" && s.cfg.From != "" {
		q.Set("From", s.cfg.From)
	}
	next := s.cfg.messagesURL() + "?" + q.Encode()
	for range maxLookupPages {
		var page messagePage
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
		if err != nil {
			return channel.Receipt{}, false, fmt.Errorf("look up sms to %s: %w", m.To, err)
		}
		if err := s.do(req, http.StatusOK, &page); err != nil {
			return channel.Receipt{}, false, s.wrap(err, "look up sms to "+m.To)
		}
		for _, msg := range page.Messages {
			if s.matches(msg, m, since) {
				return receiptOf(msg), true, nil
			}
		}
		if page.NextPageURI == "" {
			return channel.Receipt{}, false, nil
		}
		if next, err = s.pageURL(page.NextPageURI); err != nil {
			return channel.Receipt{}, false, fmt.Errorf("look up sms to %s: %w", m.To, err)
		}
	}
	return channel.Receipt{}, false, fmt.Errorf("look up sms to %s: more than %d pages of messages", m.To, maxLookupPages)
}

func (s *Sender) matches(msg message, m channel.Message, since time.Time) bool {
	if msg.To != m.To || msg.Body != m.Text || !strings.HasPrefix(msg.Direction, "outbound") {
		return false
	}
	if s.cfg.MessagingServiceSID != "" {
		if msg.MessagingServiceSID != s.cfg.MessagingServiceSID {
			return false
		}
	} else if msg.From != s.cfg.From {
		return false
	}
	created, err := time.Parse(dateLayout, msg.DateCreated)
	// date_created has whole seconds; since has not.
	return err == nil && !created.Before(since.Truncate(time.Second))
}

// pageURL resolves next_page_uri against BaseURL. It must stay on the
// API's host and path, so credentials never go elsewhere.
func (s *Sender) pageURL(uri string) (string, error) {
	rel, err := url.Parse(uri)
	if err != nil || rel.IsAbs() || rel.Host != "" || !strings.HasPrefix(rel.Path, "/2010-04-01/Accounts/"+s.cfg.AccountSID+"/") {
		return "", fmt.Errorf("unexpected next_page_uri %q", uri)
	}
	return s.cfg.BaseURL + rel.RequestURI(), nil
}
