package fcm

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// Token lifetimes: Google caps a JWT assertion at one hour, and a cached
// access token is replaced a minute before it expires.
const (
	assertionLifetime = time.Hour
	refreshEarly      = time.Minute
)

// tokens yields bearer tokens for FCM requests.
type tokens interface {
	token(ctx context.Context) (string, error)
	// invalidate drops a cached token FCM refused; false when there is
	// nothing to refresh (a static token).
	invalidate(ctx context.Context, tok string) bool
}

type staticToken string

func (s staticToken) token(context.Context) (string, error) { return string(s), nil }
func (staticToken) invalidate(context.Context, string) bool { return false }

// serviceAccountTokens runs the OAuth 2.0 JWT-bearer grant
// (https://developers.google.com/identity/protocols/oauth2/service-account#httprest).
type serviceAccountTokens struct {
	sa       ServiceAccount
	key      *rsa.PrivateKey
	tokenURL string
	client   *http.Client
	clk      clock.Clock

	// lock is a one-slot semaphore rather than a mutex so that a caller
	// waiting for another's refresh still honours its ctx.
	lock    chan struct{}
	cached  string
	expires time.Time
}

func newServiceAccountTokens(r resolved, client *http.Client, clk clock.Clock) *serviceAccountTokens {
	return &serviceAccountTokens{
		sa: r.sa, key: r.key, tokenURL: r.TokenURL, client: client, clk: clk,
		lock: make(chan struct{}, 1),
	}
}

func (s *serviceAccountTokens) token(ctx context.Context) (string, error) {
	select {
	case s.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.lock }()
	now := s.clk.Now()
	if s.cached != "" && now.Before(s.expires.Add(-refreshEarly)) {
		return s.cached, nil
	}
	tok, ttl, err := s.exchange(ctx, now)
	if err != nil {
		return "", err
	}
	s.cached, s.expires = tok, now.Add(ttl)
	return tok, nil
}

func (s *serviceAccountTokens) invalidate(ctx context.Context, tok string) bool {
	select {
	case s.lock <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	defer func() { <-s.lock }()
	if s.cached == tok {
		s.cached = ""
	}
	return true
}

// tokenError is the token endpoint's error body (RFC 6749 5.2).
type tokenError struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
	status      int
}

func (e *tokenError) Error() string {
	return fmt.Sprintf("oauth token endpoint answered HTTP %d: %s: %s", e.status, e.Code, e.Description)
}

// exchange signs an assertion and trades it for an access token. Every
// failure is temporary: credentials are the operator's to fix and say
// nothing about the message.
func (s *serviceAccountTokens) exchange(ctx context.Context, now time.Time) (string, time.Duration, error) {
	assertion, err := s.assertion(now)
	if err != nil {
		return "", 0, channel.Temporary("", fmt.Errorf("sign fcm token assertion: %w", err))
	}
	form := url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, channel.Temporary("", fmt.Errorf("build fcm token request: %w", err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", 0, channel.Temporary("", fmt.Errorf("fetch fcm access token: %w", err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, channel.Temporary("", fmt.Errorf("read fcm access token: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		te := &tokenError{status: resp.StatusCode}
		if json.Unmarshal(body, te) != nil || te.Code == "" {
			te.Code, te.Description = "http_"+fmt.Sprint(resp.StatusCode), string(snippet(body))
		}
		return "", 0, channel.Temporary(te.Code, fmt.Errorf("fetch fcm access token: %w", te))
	}
	var ok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &ok); err != nil || ok.AccessToken == "" {
		return "", 0, channel.Temporary("", errors.New("fetch fcm access token: answer has no access_token"))
	}
	if ok.TokenType != "" && !strings.EqualFold(ok.TokenType, "bearer") {
		return "", 0, channel.Temporary("", fmt.Errorf("fetch fcm access token: token type %q, want Bearer", ok.TokenType))
	}
	ttl := time.Duration(ok.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = refreshEarly // unknown lifetime: use once, then refresh
	}
	return ok.AccessToken, ttl, nil
}

// assertion builds the RS256 JWT of the grant.
func (s *serviceAccountTokens) assertion(now time.Time) (string, error) {
	header := map[string]string{"alg": "RS256", "typ": "JWT"}
	if s.sa.PrivateKeyID != "" {
		header["kid"] = s.sa.PrivateKeyID
	}
	claims := map[string]any{
		"iss":   s.sa.ClientEmail,
		"scope": Scope,
		"aud":   s.tokenURL,
		"iat":   now.Unix(),
		"exp":   now.Add(assertionLifetime).Unix(),
	}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func snippet(b []byte) []byte {
	if len(b) > 512 {
		return b[:512]
	}
	return b
}
