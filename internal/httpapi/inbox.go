package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Engager records engagement with a send and appends its timeline event.
type Engager interface {
	Engage(ctx context.Context, key, kind, link string) error
}

// inboxMessage is one in-app message as apps fetch it.
type inboxMessage struct {
	Key     string          `json:"key"`
	SentAt  *time.Time      `json:"sent_at,omitempty"`
	Content json.RawMessage `json:"content"`
	Seen    bool            `json:"seen"`
	Clicked bool            `json:"clicked"`
}

// inboxRef authenticates an app's request for a customer's in-app messages:
// the source's write key (Basic auth, like the collection API) and the
// identity-verification hash of the user id (or anonymous id) computed by
// the company's backend with the workspace secret, so nobody can read
// another customer's messages by guessing an id.
func (s *Server) inboxRef(r *http.Request) (string, error) {
	key, ok := basicUser(r.Header.Get("Authorization"))
	if !ok {
		return "", apiErr(CodeUnauthorized, "send the source's write key as Basic auth (the SDKs' write key)")
	}
	if _, wk, err := s.d.State.SourceByWriteKey(r.Context(), key); err != nil || wk.RevokedAt != nil {
		return "", apiErr(CodeUnauthorized, "unknown or revoked write key")
	}
	ref := r.PathValue("ref")
	typ, value, ok := strings.Cut(ref, ":")
	if !ok || (typ != "user_id" && typ != "anonymous_id") || value == "" {
		return "", badField("ref", "in-app messages are fetched by user_id:<id> or anonymous_id:<id>, got %q", ref)
	}
	secret, err := s.identitySecret(r.Context())
	if err != nil {
		return "", err
	}
	if !policy.VerifyUserHash(secret, value, r.Header.Get("X-Cairn-User-Hash")) {
		return "", apiErr(CodeUnauthorized, "X-Cairn-User-Hash does not verify: send hex(HMAC-SHA256(identity_verification_secret, %s)) computed by your backend", typ)
	}
	id, err := s.profileRef(r)
	if err != nil {
		return "", err
	}
	return id, nil
}

// identitySecret reads the workspace's identity verification secret
// (messaging settings, identity_verification_secret).
func (s *Server) identitySecret(ctx context.Context) ([]byte, error) {
	o, err := s.d.State.GetConfig(ctx, "settings", "messaging")
	var body struct {
		Secret string `json:"identity_verification_secret"`
	}
	if err == nil {
		_ = json.Unmarshal(o.Body, &body) //nolint:errcheck // validated when saved
	}
	if body.Secret == "" {
		return nil, apiErr(CodeUnavailable, "in-app messages need identity verification: set identity_verification_secret in PUT /v1/settings/messaging")
	}
	return []byte(body.Secret), nil
}

func basicUser(h string) (string, bool) {
	b64, ok := strings.CutPrefix(h, "Basic ")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", false
	}
	user, _, _ := strings.Cut(string(raw), ":")
	return user, user != ""
}

// inbox is GET /v1/inapp/{ref}: the customer's in-app messages of the last
// 30 days, newest first, with whether each was seen or clicked.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	id, err := s.inboxRef(r)
	if err != nil {
		return err
	}
	sends, err := s.d.State.ProfileSends(r.Context(), id, s.d.Clock.Now().Add(-30*24*time.Hour), 500)
	if err != nil {
		return err
	}
	out := []inboxMessage{}
	for _, sd := range sends {
		if sd.Channel != "inapp" || sd.Status != store.SendSent {
			continue
		}
		m := inboxMessage{Key: sd.Key, SentAt: sd.SentAt, Content: sd.Content}
		es, err := s.d.State.Engagements(r.Context(), sd.Key)
		if err != nil {
			return err
		}
		dismissed := false
		for _, e := range es {
			m.Seen = m.Seen || e.Type == "opened"
			m.Clicked = m.Clicked || e.Type == "clicked"
			dismissed = dismissed || e.Type == "dismissed"
		}
		if !dismissed {
			out = append(out, m)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": out})
	return nil
}

// inboxAction is POST /v1/inapp/{ref}/messages/{key}/{action}: seen, clicked or dismissed.
func (s *Server) inboxAction(w http.ResponseWriter, r *http.Request) error {
	id, err := s.inboxRef(r)
	if err != nil {
		return err
	}
	key, action := r.PathValue("key"), r.PathValue("action")
	kind := map[string]string{"seen": "opened", "clicked": "clicked", "dismissed": "dismissed"}[action]
	if kind == "" {
		return badField("action", "use seen, clicked or dismissed, got %q", action)
	}
	sd, err := s.d.State.GetSend(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (sd.ProfileID != id || sd.Channel != "inapp")) {
		return apiErr(CodeNotFound, "no in-app message %q for this customer", key)
	}
	if err != nil {
		return err
	}
	if kind == "dismissed" || s.d.Engage == nil {
		err = s.d.State.AddEngagement(r.Context(), store.Engagement{Key: key, Type: kind, At: s.d.Clock.Now()})
	} else {
		err = s.d.Engage.Engage(r.Context(), key, kind, r.URL.Query().Get("url"))
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"key": key, "recorded": kind})
	return nil
}
