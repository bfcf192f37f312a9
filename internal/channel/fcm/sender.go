package fcm

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
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// DefaultTimeout bounds a request when New builds the HTTP client.
const DefaultTimeout = 30 * time.Second

// Sender sends push notifications through one Firebase project.
type Sender struct {
	sendURL  string
	collapse bool
	tokens   tokens
	client   *http.Client
	clk      clock.Clock
	log      *slog.Logger
}

// New returns a Sender. A nil client gets one with DefaultTimeout (it also
// fetches access tokens), a nil clock is the wall clock and a nil logger
// discards.
func New(cfg Config, client *http.Client, clk clock.Clock, logger *slog.Logger) (*Sender, error) {
	r, err := cfg.resolve()
	if err != nil {
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
	s := &Sender{
		sendURL:  r.BaseURL + "/v1/projects/" + r.ProjectID + "/messages:send",
		collapse: r.CollapseRepeats,
		client:   client,
		clk:      clk,
		log:      logger,
	}
	if r.AccessToken != "" {
		s.tokens = staticToken(r.AccessToken)
	} else {
		s.tokens = newServiceAccountTokens(r, client, clk)
	}
	return s, nil
}

type notification struct {
	Title string `json:"title,omitempty"`
	Body  string `json:"body,omitempty"`
}

type fcmMessage struct {
	Token        string            `json:"token"`
	Notification *notification     `json:"notification,omitempty"`
	Data         map[string]string `json:"data,omitempty"`
	Android      *androidConfig    `json:"android,omitempty"`
	APNS         *apnsConfig       `json:"apns,omitempty"`
	Webpush      *webpushConfig    `json:"webpush,omitempty"`
}

// Platform overrides, only for CollapseRepeats.
// https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages
type androidConfig struct {
	Notification struct {
		Tag string `json:"tag"`
	} `json:"notification"`
}

type apnsConfig struct {
	Headers map[string]string `json:"headers"`
}

type webpushConfig struct {
	Notification struct {
		Tag string `json:"tag"`
	} `json:"notification"`
}

// collapseTag is a digest of the send key: stable across resends of one
// attempt, and 38 characters, within apns-collapse-id's 64 bytes.
func collapseTag(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "cairn-" + hex.EncodeToString(sum[:16])
}

type sendRequest struct {
	Message fcmMessage `json:"message"`
}

// Send posts m to messages:send. The Receipt's ProviderID is FCM's message
// name, projects/{project}/messages/{id}.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	if m.To == "" {
		return channel.Receipt{}, channel.Permanent("", errors.New("push has no registration token"))
	}
	msg := fcmMessage{Token: m.To, Data: m.Data}
	if m.Title != "" || m.Text != "" {
		msg.Notification = &notification{Title: m.Title, Body: m.Text}
		if s.collapse && m.Key != "" {
			tag := collapseTag(m.Key)
			msg.Android, msg.Webpush = &androidConfig{}, &webpushConfig{}
			msg.Android.Notification.Tag, msg.Webpush.Notification.Tag = tag, tag
			msg.APNS = &apnsConfig{Headers: map[string]string{"apns-collapse-id": tag}}
		}
	}
	body, err := json.Marshal(sendRequest{Message: msg})
	if err != nil {
		return channel.Receipt{}, channel.Permanent("", fmt.Errorf("encode push: %w", err))
	}
	name, err := s.send(ctx, body)
	if errors.Is(err, errStaleToken) {
		// FCM refused a cached access token (revoked, or clocks disagree
		// about its expiry): fetch a new one and try once more. Nothing
		// was sent, so this cannot duplicate the push.
		s.log.InfoContext(ctx, "fcm refused access token; refreshing")
		name, err = s.send(ctx, body)
	}
	if err != nil {
		return channel.Receipt{}, err
	}
	return channel.Receipt{ProviderID: name, Status: "sent"}, nil
}

// errStaleToken marks a 401 answer to a token that could be refreshed.
var errStaleToken = errors.New("fcm access token refused")

func (s *Sender) send(ctx context.Context, body []byte) (string, error) {
	tok, err := s.tokens.token(ctx)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.sendURL, bytes.NewReader(body))
	if err != nil {
		return "", channel.Permanent("", fmt.Errorf("build fcm request: %w", err))
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", channel.Temporary("", fmt.Errorf("send push: %w", err))
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", channel.Temporary("", fmt.Errorf("read fcm answer: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		ae := parseError(resp.StatusCode, resp.Header, answer, s.clk.Now())
		if resp.StatusCode == http.StatusUnauthorized && s.tokens.invalidate(ctx, tok) {
			return "", fmt.Errorf("%w: %w", errStaleToken, classify(ae, "send push"))
		}
		return "", classify(ae, "send push")
	}
	var ok struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(answer, &ok); err != nil || ok.Name == "" {
		// FCM accepted the push; only its answer is unreadable.
		s.log.WarnContext(ctx, "fcm answer has no message name", slog.Int("bytes", len(answer)))
	}
	return ok.Name, nil
}

var _ channel.Sender = (*Sender)(nil)
