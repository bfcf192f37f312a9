package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/directmail"
	"github.com/cairn-cdp/cairn/internal/channel/email"
	"github.com/cairn-cdp/cairn/internal/channel/fcm"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/webhook"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/delivery"
	"github.com/cairn-cdp/cairn/internal/store"
)

// channelConfig is the body of a channel config object (/v1/channels).
// Type is the channel kind; Provider picks the adapter where a kind has
// several (sms: twilio; push: fcm); Config is the adapter's own config.
type channelConfig struct {
	ID       string          `json:"id"`
	Type     channel.Kind    `json:"type"`
	Provider string          `json:"provider,omitempty"`
	Config   json.RawMessage `json:"config,omitempty"`
	// RatePerSecond paces sends to the provider (0: unlimited); Burst is
	// how many may go at once (default 1). Sends over the rate are queued.
	RatePerSecond float64 `json:"rate_per_second,omitempty"`
	Burst         int     `json:"burst,omitempty"`
}

// senders builds channel adapters from their config objects, rebuilding
// one when its object changes.
type senders struct {
	st     store.ConfigStore
	clk    clock.Clock
	logger *slog.Logger
	client *http.Client

	mu    sync.Mutex
	cache map[string]cachedSender
}

type cachedSender struct {
	at   time.Time
	body []byte
	s    channel.Sender
	kind channel.Kind
	rate float64
	burs int
}

func newSenders(st store.ConfigStore, clk clock.Clock, logger *slog.Logger) *senders {
	return &senders{st: st, clk: clk, logger: logger, client: &http.Client{Timeout: 30 * time.Second}, cache: map[string]cachedSender{}}
}

// Sender returns the adapter of a configured channel. The built-in in-app
// and task channels need no configuration.
func (s *senders) Sender(ctx context.Context, id string) (channel.Sender, channel.Kind, error) {
	o, err := s.st.GetConfig(ctx, "channel", id)
	if errors.Is(err, store.ErrNotFound) && (id == string(channel.InApp) || id == string(channel.Task)) {
		return localSender{}, channel.Kind(id), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("channel %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[id]; ok && c.at.Equal(o.UpdatedAt) && bytes.Equal(c.body, o.Body) {
		return c.s, c.kind, nil
	}
	var cc channelConfig
	if err := json.Unmarshal(o.Body, &cc); err != nil {
		return nil, "", fmt.Errorf("channel %s: %w", id, err)
	}
	if _, ok := s.cache[id]; ok {
		// The replaced adapter may hold resources (a direct-mail batch
		// file and its directory lock, kept SMTP connections): release
		// them first.
		if err := s.drop(id); err != nil {
			s.logger.Warn("close a replaced channel adapter", slog.String("channel", id), slog.Any("error", err))
		}
	}
	snd, err := buildSender(cc, s.client, s.clk, s.logger)
	if err != nil {
		return nil, "", fmt.Errorf("channel %s: %w", id, err)
	}
	s.cache[id] = cachedSender{at: o.UpdatedAt, body: o.Body, s: snd, kind: cc.Type, rate: cc.RatePerSecond, burs: cc.Burst}
	return snd, cc.Type, nil
}

// close releases every cached adapter that holds something: kept SMTP
// connections, a direct-mail batch file and its directory lock.
func (s *senders) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for id := range s.cache {
		errs = append(errs, s.drop(id))
	}
	return errors.Join(errs...)
}

// drop closes the cached adapter of channel id when it holds something
// and forgets it. The caller holds s.mu.
func (s *senders) drop(id string) error {
	c := s.cache[id]
	delete(s.cache, id)
	if cl, ok := c.s.(io.Closer); ok {
		if err := cl.Close(); err != nil {
			return fmt.Errorf("close channel %s: %w", id, err)
		}
	}
	return nil
}

// closeExpired closes the direct-mail batch windows that have ended even
// when nothing was sent since, so vendors get their file on time.
func (s *senders) closeExpired(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, c := range s.cache {
		if dm, ok := c.s.(*directmail.Sender); ok {
			if err := dm.CloseExpired(ctx); err != nil {
				s.logger.Error("close an expired direct-mail batch", slog.String("channel", id), slog.Any("error", err))
			}
		}
	}
}

// run closes expired batch windows every minute until ctx ends.
func (s *senders) run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Minute): // operational cadence, not engine time
			s.closeExpired(ctx)
		}
	}
}

// RateLimit returns a channel's provider rate (known once Sender built it).
func (s *senders) RateLimit(_ context.Context, id string) (float64, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cache[id]
	return c.rate, c.burs
}

var _ delivery.RateLimits = (*senders)(nil)

// buildSender makes the adapter of a channel config (and so validates it).
func buildSender(cc channelConfig, client *http.Client, clk clock.Clock, logger *slog.Logger) (channel.Sender, error) {
	decode := func(v any) error {
		if len(cc.Config) == 0 {
			return errors.New("config is missing")
		}
		dec := json.NewDecoder(bytes.NewReader(cc.Config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		return nil
	}
	if cc.Provider == "capture" {
		switch cc.Type {
		case channel.Email, channel.SMS, channel.Push, channel.Webhook, channel.InApp, channel.Task:
			return localSender{}, nil
		}
	}
	switch cc.Type {
	case channel.Email:
		var c email.Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return email.New(c, logger, email.WithClock(clk))
	case channel.SMS:
		if cc.Provider != "" && cc.Provider != "twilio" {
			return nil, fmt.Errorf("unknown sms provider %q (supported: twilio)", cc.Provider)
		}
		var c twilio.Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return twilio.New(c, client, clk, logger)
	case channel.Push:
		if cc.Provider != "" && cc.Provider != "fcm" {
			return nil, fmt.Errorf("unknown push provider %q (supported: fcm, capture)", cc.Provider)
		}
		var c fcm.Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return fcm.New(c, client, clk, logger)
	case channel.Webhook:
		var c webhook.Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return webhook.New(c, client, clk, logger)
	case channel.DirectMail:
		var c directmail.Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		return directmail.New(c, clk, logger)
	case channel.InApp, channel.Task:
		return localSender{}, nil
	}
	return nil, fmt.Errorf("unknown channel type %q (supported: email, sms, push, webhook, direct_mail, inapp, task)", cc.Type)
}

// localSender delivers on channels Cairn serves itself: an in-app message
// or an agent task is "sent" when it is recorded; apps and agents fetch
// sent sends through the API. The "capture" provider uses it on any channel
// to record sends without delivering them (the demo, staging setups).
type localSender struct{}

func (localSender) Send(_ context.Context, m channel.Message) (channel.Receipt, error) {
	return channel.Receipt{ProviderID: m.Key, Status: "sent"}, nil
}

var _ channel.Sender = localSender{}

func digestKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
