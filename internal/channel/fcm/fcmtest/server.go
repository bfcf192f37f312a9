package fcmtest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// Message is a message the server accepted.
type Message struct {
	Name      string // projects/{project}/messages/{id}
	Token     string
	Topic     string
	Condition string
	Title     string
	Body      string
	Data      map[string]string
	// Platform overrides as sent (android, apns, webpush objects).
	Android json.RawMessage
	APNS    json.RawMessage
	Webpush json.RawMessage
}

type failure struct {
	status     int
	errorCode  string
	retryAfter time.Duration
}

type accessToken struct {
	expires time.Time
	scopes  []string
}

// Server is a running local FCM with one project.
type Server struct {
	// URL is the API base (Config.BaseURL); URL+"/token" is the token
	// endpoint.
	URL       string
	ProjectID string

	srv  *httptest.Server
	clk  clock.Clock
	keys *testKeyPair

	mu            sync.Mutex
	devices       map[string]bool
	accessTokens  map[string]accessToken
	tokenLifetime time.Duration
	messages      []Message
	failures      []failure
	seq           int
	sendRequests  int
	tokenRequests int
}

// New starts a server on clk (nil: wall clock); it closes when tb ends.
func New(tb testing.TB, clk clock.Clock) *Server {
	tb.Helper()
	if clk == nil {
		clk = clock.Real{}
	}
	keys, err := testKeys()
	if err != nil {
		tb.Fatalf("fcmtest: generate test keys: %v", err)
	}
	s := &Server{
		keys:          keys,
		ProjectID:     "cairn-test-" + randomString(6, "abcdefghijklmnopqrstuvwxyz0123456789"),
		clk:           clk,
		devices:       map[string]bool{},
		accessTokens:  map[string]accessToken{},
		tokenLifetime: 3599 * time.Second,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/projects/{project}/messages:send", s.send)
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusNotFound, "NOT_FOUND", "The requested URL "+r.URL.Path+" was not found on this server.", nil)
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Close stops the server early (it also stops when the test ends).
func (s *Server) Close() { s.srv.Close() }

// NewDeviceToken registers and returns a token shaped like a real one.
func (s *Server) NewDeviceToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	tok := randomString(22, alphabet) + ":APA91b" + randomString(134, alphabet)
	s.RegisterToken(tok)
	return tok
}

// RegisterToken makes tok a live registration token.
func (s *Server) RegisterToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices[tok] = true
}

// Unregister makes tok stale, as when the app is uninstalled.
func (s *Server) Unregister(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.devices, tok)
}

// AccessToken issues an access token with the FCM scope valid for a year,
// for Config.AccessToken.
func (s *Server) AccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(365*24*time.Hour, []string{scopeFCM})
}

// SetTokenLifetime sets expires_in of the tokens the token endpoint issues
// from now on. Default 3599 s, as Google answers.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// RevokeAccessTokens invalidates every access token issued so far.
func (s *Server) RevokeAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.accessTokens)
}

// FailNext makes the next n authenticated sends fail with httpStatus and
// FCM errorCode (QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, ...), sending
// Retry-After and a google.rpc.RetryInfo when retryAfter > 0.
func (s *Server) FailNext(n, httpStatus int, errorCode string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{status: httpStatus, errorCode: errorCode, retryAfter: retryAfter})
	}
}

// Messages returns the accepted messages, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// SendRequests counts messages:send requests, failed ones included.
func (s *Server) SendRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sendRequests
}

// TokenRequests counts token endpoint requests.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}

func (s *Server) issueLocked(ttl time.Duration, scopes []string) string {
	tok := "ya29.c." + randomString(120, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
	s.accessTokens[tok] = accessToken{expires: s.clk.Now().Add(ttl), scopes: scopes}
	return tok
}

// wire format of messages:send.
type sendBody struct {
	ValidateOnly bool `json:"validate_only"`
	Message      *struct {
		Name         string            `json:"name"`
		Token        string            `json:"token"`
		Topic        string            `json:"topic"`
		Condition    string            `json:"condition"`
		Data         map[string]string `json:"data"`
		Notification *struct {
			Title string `json:"title"`
			Body  string `json:"body"`
			Image string `json:"image"`
		} `json:"notification"`
		Android    json.RawMessage `json:"android"`
		Webpush    json.RawMessage `json:"webpush"`
		APNS       json.RawMessage `json:"apns"`
		FCMOptions json.RawMessage `json:"fcm_options"`
	} `json:"message"`
}

var tokenShape = regexp.MustCompile(`^[A-Za-z0-9_:\-]+$`)

// maxPayload is FCM's limit for a message's data (keys and values).
const maxPayload = 4096

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.sendRequests++
	at, authed := s.authLocked(r)
	var fail *failure
	if authed && len(s.failures) > 0 {
		fail = &s.failures[0]
		s.failures = s.failures[1:]
	}
	s.mu.Unlock()
	switch {
	case !authed:
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/"`)
		writeStatus(w, http.StatusUnauthorized, "UNAUTHENTICATED",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", nil)
		return
	case !hasScope(at.scopes, scopeFCM):
		writeStatus(w, http.StatusForbidden, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", nil)
		return
	case r.PathValue("project") != s.ProjectID:
		writeStatus(w, http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf(
			"Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/%s' (or it may not exist).", r.PathValue("project")), nil)
		return
	case fail != nil:
		details := []any{fcmError(fail.errorCode)}
		if fail.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(fail.retryAfter/time.Second)))
			details = append(details, map[string]string{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": fmt.Sprintf("%ds", int(fail.retryAfter/time.Second))})
		}
		writeStatus(w, fail.status, rpcStatusOf(fail.status), "Injected failure.", details)
		return
	}

	var body sendBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. "+err.Error(), []any{
			map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []map[string]string{{"description": err.Error()}}},
		})
		return
	}
	m := body.Message
	if m == nil {
		invalid(w, "Request contains an invalid argument.")
		return
	}
	targets := 0
	for _, t := range []string{m.Token, m.Topic, m.Condition} {
		if t != "" {
			targets++
		}
	}
	if targets != 1 {
		invalid(w, "Exactly one of token, topic or condition must be specified.")
		return
	}
	size := 0
	for k, v := range m.Data {
		lk := strings.ToLower(k)
		if lk == "from" || lk == "notification" || lk == "message_type" || strings.HasPrefix(lk, "google") || strings.HasPrefix(lk, "gcm") {
			invalid(w, "Invalid data payload key: "+k)
			return
		}
		size += len(k) + len(v)
	}
	if size > maxPayload {
		invalid(w, "Message is too big")
		return
	}
	if len(m.APNS) > 0 {
		var apns struct {
			Headers map[string]string `json:"headers"`
		}
		if json.Unmarshal(m.APNS, &apns) != nil || len(apns.Headers["apns-collapse-id"]) > 64 {
			invalid(w, "Invalid APNs headers")
			return
		}
	}
	if m.Token != "" && (len(m.Token) < 32 || len(m.Token) > 4096 || !tokenShape.MatchString(m.Token)) {
		invalid(w, "The registration token is not a valid FCM registration token")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if m.Token != "" && !s.devices[m.Token] {
		writeStatus(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.", []any{fcmError("UNREGISTERED")})
		return
	}
	if body.ValidateOnly {
		writeJSON(w, http.StatusOK, map[string]string{"name": "projects/" + s.ProjectID + "/messages/fake_message_id"})
		return
	}
	s.seq++
	msg := Message{
		Name:      fmt.Sprintf("projects/%s/messages/0:%d%%%016x", s.ProjectID, s.clk.Now().UnixMicro(), s.seq),
		Token:     m.Token,
		Topic:     m.Topic,
		Condition: m.Condition,
		Data:      m.Data,
		Android:   m.Android,
		APNS:      m.APNS,
		Webpush:   m.Webpush,
	}
	if m.Notification != nil {
		msg.Title, msg.Body = m.Notification.Title, m.Notification.Body
	}
	s.messages = append(s.messages, msg)
	writeJSON(w, http.StatusOK, map[string]string{"name": msg.Name})
}

func (s *Server) authLocked(r *http.Request) (accessToken, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return accessToken{}, false
	}
	at, ok := s.accessTokens[tok]
	if !ok || !s.clk.Now().Before(at.expires) {
		return accessToken{}, false
	}
	return at, true
}

func invalid(w http.ResponseWriter, msg string) {
	writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg, []any{fcmError("INVALID_ARGUMENT")})
}

func fcmError(code string) map[string]string {
	return map[string]string{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}
}

func rpcStatusOf(httpStatus int) string {
	switch httpStatus {
	case http.StatusBadRequest:
		return "INVALID_ARGUMENT"
	case http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case http.StatusForbidden:
		return "PERMISSION_DENIED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusTooManyRequests:
		return "RESOURCE_EXHAUSTED"
	case http.StatusServiceUnavailable:
		return "UNAVAILABLE"
	default:
		return "INTERNAL"
	}
}

// writeStatus writes a google.rpc.Status error body.
func writeStatus(w http.ResponseWriter, httpStatus int, status, msg string, details []any) {
	e := map[string]any{"code": httpStatus, "message": msg, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	writeJSON(w, httpStatus, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
