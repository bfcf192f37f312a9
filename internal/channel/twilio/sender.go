package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// DefaultTimeout bounds a request when New builds the HTTP client.
const DefaultTimeout = 30 * time.Second

// KeyParam is the query parameter of the status callback URL that carries
// the send key.
const KeyParam = "cairn_key"

// maxResponse caps what is read of an API answer; a page of 100 messages
// is well under it.
const maxResponse = 4 << 20

// Sender sends SMS through one Twilio account.
type Sender struct {
	cfg    Config
	client *http.Client
	clk    clock.Clock
	log    *slog.Logger
}

// New returns a Sender. A nil client gets one with DefaultTimeout, a nil
// clock is the wall clock and a nil logger discards.
func New(cfg Config, client *http.Client, clk clock.Clock, logger *slog.Logger) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg.withDefaults(), client: client, clk: clk, log: logger}, nil
}

// message is the part of Twilio's Message resource Cairn reads.
type message struct {
	SID                 string `json:"sid"`
	Status              string `json:"status"`
	To                  string `json:"to"`
	From                string `json:"from"`
	Body                string `json:"body"`
	Direction           string `json:"direction"`
	MessagingServiceSID string `json:"messaging_service_sid"`
	DateCreated         string `json:"date_created"`
	ErrorCode           *int   `json:"error_code"`
}

// Send creates a Message resource for m: To is m.To, Body is m.Text.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	if m.To == "" {
		return channel.Receipt{}, channel.Permanent("", errors.New("sms has no recipient"))
	}
	if m.Text == "" {
		return channel.Receipt{}, channel.Permanent("", fmt.Errorf("sms to %s has no text", m.To))
	}
	form := url.Values{"To": {m.To}, "Body": {m.Text}}
	if s.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", s.cfg.MessagingServiceSID)
	} else {
		form.Set("From", s.cfg.From)
	}
	if cb := s.statusCallback(m.Key); cb != "" {
		form.Set("StatusCallback", cb)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.messagesURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return channel.Receipt{}, channel.Permanent("", fmt.Errorf("build twilio request: %w", err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var msg message
	if err := s.do(req, http.StatusCreated, &msg); err != nil {
		return channel.Receipt{}, s.wrap(err, "send sms to "+m.To)
	}
	if msg.SID == "" {
		return channel.Receipt{}, channel.Temporary("", fmt.Errorf("send sms to %s: twilio answer has no sid", m.To))
	}
	s.log.DebugContext(ctx, "sms accepted", slog.String("sid", msg.SID), slog.String("status", msg.Status))
	return receiptOf(msg), nil
}

// statusCallback is the configured callback URL with the send key added.
func (s *Sender) statusCallback(key string) string {
	if s.cfg.StatusCallbackURL == "" {
		return ""
	}
	u, err := url.Parse(s.cfg.StatusCallbackURL)
	if err != nil || key == "" {
		return s.cfg.StatusCallbackURL
	}
	q := u.Query()
	q.Set(KeyParam, key)
	u.RawQuery = q.Encode()
	return u.String()
}

func receiptOf(msg message) channel.Receipt {
	status := "sent"
	if msg.Status == "delivered" || msg.Status == "read" {
		status = "delivered"
	}
	return channel.Receipt{ProviderID: msg.SID, Status: status, Detail: "twilio status " + msg.Status}
}

// do sends req with credentials and decodes a want-status JSON answer into
// out. Other answers return *APIError; transport failures are returned
// as they are.
func (s *Sender) do(req *http.Request, want int, out any) error {
	user, pass := s.cfg.credentials()
	req.SetBasicAuth(user, pass)
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("read twilio answer: %w", err)
	}
	if resp.StatusCode != want {
		return parseAPIError(resp.StatusCode, resp.Header, body, s.clk.Now())
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decode twilio answer: %w", err)
	}
	return nil
}

// wrap classifies an error of do.
func (s *Sender) wrap(err error, op string) error {
	var ae *APIError
	if errors.As(err, &ae) {
		return classify(ae, op)
	}
	return channel.Temporary("", fmt.Errorf("%s: %w", op, err))
}

var (
	_ channel.Sender     = (*Sender)(nil)
	_ channel.Reconciler = (*Sender)(nil)
)
