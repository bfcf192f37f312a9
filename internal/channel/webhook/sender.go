package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// userAgent identifies Cairn to receivers.
const userAgent = "cairn-webhook/1"

// errorBodySnippet is how much of a failed response goes into HTTPError.
const errorBodySnippet = 512

// Sender posts messages to a webhook.
type Sender struct {
	cfg    Config
	secret []byte
	client *http.Client
	clk    clock.Clock
	log    *slog.Logger
}

// New returns a Sender for cfg. A nil client gets a plain http.Client (the
// per-request Config.Timeout applies either way); redirects are never
// followed. A nil clock is the wall clock, a nil logger discards.
func New(cfg Config, client *http.Client, clk clock.Clock, logger *slog.Logger) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &http.Client{}
	if client != nil {
		cp := *client
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg.withDefaults(), secret: []byte(cfg.Secret), client: c, clk: clk, log: logger}, nil
}

// Send makes one request for m. A 2xx answer yields a Receipt with status
// "delivered" and the (capped) response body; other outcomes are classified
// channel errors wrapping *HTTPError or the transport error.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	target := s.cfg.URL
	if m.To != "" {
		target = m.To
	}
	if target == "" {
		return channel.Receipt{}, channel.Permanent("", errors.New("webhook has no url: set Config.URL or Message.To"))
	}
	if err := checkURL(target); err != nil {
		return channel.Receipt{}, channel.Permanent("", fmt.Errorf("webhook target: %w", err))
	}
	if m.Key == "" {
		return channel.Receipt{}, channel.Permanent("", errors.New("webhook message has no send key for Idempotency-Key"))
	}
	u, _ := url.Parse(target) // checked above
	where := redact(u)

	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := s.newRequest(ctx, target, m)
	if err != nil {
		return channel.Receipt{}, channel.Permanent("", fmt.Errorf("build webhook request for %s: %w", where, err))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return channel.Receipt{}, channel.Temporary("", fmt.Errorf("call webhook %s: %w", where, err))
	}
	defer resp.Body.Close()

	body, truncated, err := readCapped(resp.Body, s.cfg.MaxResponseBytes)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err != nil {
			// The receiver accepted the request; only its answer was cut.
			s.log.WarnContext(ctx, "webhook response unreadable", slog.String("url", where), slog.Any("error", err))
		}
		detail := resp.Status
		if truncated {
			detail += fmt.Sprintf(" (response truncated to %d bytes)", s.cfg.MaxResponseBytes)
		}
		return channel.Receipt{
			ProviderID: resp.Header.Get("X-Request-Id"),
			Status:     "delivered",
			Detail:     detail,
			Response:   body,
		}, nil
	}
	return channel.Receipt{}, classify(resp, body, where, s.clk.Now())
}

func (s *Sender) newRequest(ctx context.Context, target string, m channel.Message) (*http.Request, error) {
	var body io.Reader
	if len(m.Body) > 0 {
		body = bytes.NewReader(m.Body)
	}
	req, err := http.NewRequestWithContext(ctx, s.cfg.Method, target, body)
	if err != nil {
		return nil, err
	}
	for k, v := range s.cfg.Headers {
		req.Header.Set(k, v)
	}
	for k, v := range m.Headers {
		if !reservedHeader(k) {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Key)
	if len(s.secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(s.secret, s.clk.Now(), m.Body))
	}
	return req, nil
}

// readCapped reads up to limit bytes of r and reports whether more
// followed; the rest is drained (bounded) so the connection can be reused.
func readCapped(r io.Reader, limit int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	truncated := int64(len(b)) > limit
	if truncated {
		b = b[:limit]
		_, _ = io.CopyN(io.Discard, r, 1<<20)
	}
	return b, truncated, err
}

// classify turns a non-2xx answer into a channel error: 408, 429 and 5xx
// are worth retrying, every other status (4xx, and 3xx since redirects are
// not followed) is permanent.
func classify(resp *http.Response, body []byte, where string, now time.Time) error {
	he := &HTTPError{StatusCode: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now)}
	snippet := body
	if len(snippet) > errorBodySnippet {
		snippet = snippet[:errorBodySnippet]
	}
	he.Body = string(bytes.TrimSpace(snippet))
	code := strconv.Itoa(resp.StatusCode)
	err := fmt.Errorf("call webhook %s: %w", where, he)
	switch {
	case resp.StatusCode == http.StatusRequestTimeout,
		resp.StatusCode == http.StatusTooManyRequests,
		resp.StatusCode >= 500:
		return channel.Temporary(code, err)
	default:
		return channel.Permanent(code, err)
	}
}

// parseRetryAfter reads delay-seconds or an HTTP-date (RFC 9110 10.2.3).
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 || n > int64(24*time.Hour/time.Second) {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

var _ channel.Sender = (*Sender)(nil)
