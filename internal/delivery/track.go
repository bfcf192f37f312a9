package delivery

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Tracking links carry the send key and an HMAC over what they authorise
// (opening: the key; clicking: the key and the destination URL), so nobody
// can forge engagement or turn the click endpoint into an open redirect.

// ErrBadToken is returned for a tracking or unsubscribe token that does not verify.
var ErrBadToken = errors.New("the link is not valid: it was changed or is not from this server")

func (d *Dispatcher) sign(parts ...string) string {
	m := hmac.New(sha256.New, d.cfg.Secret)
	for _, p := range parts {
		_, _ = m.Write([]byte(p)) //nolint:errcheck // hash writes never fail
		_, _ = m.Write([]byte{0}) //nolint:errcheck // hash writes never fail
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// OpenToken is the token of a send's open pixel.
func (d *Dispatcher) OpenToken(key string) string { return key + "." + d.sign("open", key) }

// ClickToken is the token of a tracked link to url.
func (d *Dispatcher) ClickToken(key, url string) string { return key + "." + d.sign("click", key, url) }

// VerifyOpen returns the send key of a valid open token.
func (d *Dispatcher) VerifyOpen(token string) (string, error) {
	key := tokenKey(token)
	if key == "" || !hmac.Equal([]byte(token), []byte(d.OpenToken(key))) {
		return "", ErrBadToken
	}
	return key, nil
}

// VerifyClick returns the send key of a valid click token for url.
func (d *Dispatcher) VerifyClick(token, url string) (string, error) {
	key := tokenKey(token)
	if key == "" || !hmac.Equal([]byte(token), []byte(d.ClickToken(key, url))) {
		return "", ErrBadToken
	}
	return key, nil
}

// tokenKey is the send key of a token: everything before the last dot (the
// signature is base64url, which has none; a key may).
func tokenKey(token string) string {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return ""
	}
	return token[:i]
}

// TrackURLs returns the pixel URL and a link wrapper for an email send.
func (d *Dispatcher) TrackURLs(key string) (pixel string, wrap func(string) string) {
	if d.cfg.PublicURL == "" || len(d.cfg.Secret) == 0 {
		return "", nil
	}
	pixel = d.cfg.PublicURL + "/t/o/" + d.OpenToken(key)
	wrap = func(u string) string {
		return d.cfg.PublicURL + "/t/c/" + d.ClickToken(key, u) + "?u=" + url.QueryEscape(u)
	}
	return pixel, wrap
}

// Engage records an open or click of a send and appends Message Opened or
// Message Clicked (with the journey position, so waits on engagement move).
func (d *Dispatcher) Engage(ctx context.Context, key, kind, link string) error {
	s, err := d.st.GetSend(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil // erased since: nothing to record
	}
	if err != nil {
		return fmt.Errorf("load send %s: %w", key, err)
	}
	now := d.clk.Now()
	if err := d.st.AddEngagement(ctx, store.Engagement{Key: key, Type: kind, Data: link, At: now}); err != nil {
		return fmt.Errorf("record %s of %s: %w", kind, key, err)
	}
	name := journey.EventMessageOpened
	if kind == "clicked" {
		name = journey.EventMessageClicked
	}
	props := map[string]any{"profile_id": s.ProfileID, "send_key": key, "channel": s.Channel, "template": s.TemplateID,
		"journey_id": s.JourneyID, "journey_version": s.Version, "instance_id": s.InstanceID, "node_id": s.NodeID}
	if link != "" {
		props["url"] = link
	}
	return d.append(ctx, name, key+"/"+kind+"/"+now.String(), now, props)
}
