package twiliotest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
)

// DefaultFrom is a number every Server owns (Twilio's magic valid From).
const DefaultFrom = "+15005550006"

// Server is a running local Twilio with one account.
type Server struct {
	// URL is the API base (Config.BaseURL).
	URL string
	// AccountSID and AuthToken are the account's credentials.
	AccountSID string
	AuthToken  string

	srv      *httptest.Server
	clk      clock.Clock
	callback *http.Client

	mu       sync.Mutex
	numbers  map[string]bool
	services map[string]bool
	apiKeys  map[string]string // sid -> secret
	messages []*Message
	seq      int
	requests int
	failures []int // HTTP statuses of injected failures
	dropNext int   // creates whose answer is lost
}

// New starts a server on clk (nil: wall clock); it closes when tb ends.
func New(tb testing.TB, clk clock.Clock) *Server {
	tb.Helper()
	if clk == nil {
		clk = clock.Real{}
	}
	s := &Server{
		AccountSID: "AC" + randomHex(16),
		AuthToken:  randomHex(16),
		clk:        clk,
		callback:   &http.Client{Timeout: 10 * time.Second},
		numbers:    map[string]bool{DefaultFrom: true},
		services:   map[string]bool{},
		apiKeys:    map[string]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{account}/Messages.json", s.authed(s.create))
	mux.HandleFunc("GET /2010-04-01/Accounts/{account}/Messages.json", s.authed(s.list))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, fmt.Sprintf("The requested resource %s was not found", r.URL.Path))
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Close stops the server early (it also stops when the test ends).
func (s *Server) Close() { s.srv.Close() }

// AddNumber gives the account another sending number.
func (s *Server) AddNumber(e164 string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.numbers[e164] = true
}

// AddMessagingService creates a Messaging Service and returns its SID.
func (s *Server) AddMessagingService() string {
	sid := "MG" + randomHex(16)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.services[sid] = true
	return sid
}

// AddAPIKey creates an API key for the account and returns its SID and
// secret.
func (s *Server) AddAPIKey() (sid, secret string) {
	sid, secret = "SK"+randomHex(16), randomHex(16)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiKeys[sid] = secret
	return sid, secret
}

// FailNext makes the next n API requests fail with httpStatus (429, 500,
// 503, ...) and Twilio's matching error body, before doing anything.
func (s *Server) FailNext(n, httpStatus int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, httpStatus)
	}
}

// DropNextResponse makes the next create succeed — the message exists and
// will be listed — but closes the connection instead of answering, as when
// a crash or network cut loses Twilio's answer.
func (s *Server) DropNextResponse() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropNext++
}

// Requests counts the API requests served (failed ones included).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Messages returns copies of the messages created, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
	}
	return out
}

// authed checks HTTP Basic auth (Account SID and Auth Token, or an API key
// of the account) and the account in the path, then injected failures.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		user, pass, ok := r.BasicAuth()
		valid := ok && r.PathValue("account") == s.AccountSID &&
			((user == s.AccountSID && pass == s.AuthToken) || (s.apiKeys[user] != "" && s.apiKeys[user] == pass))
		var fail int
		if valid && len(s.failures) > 0 {
			fail, s.failures = s.failures[0], s.failures[1:]
		}
		s.mu.Unlock()
		if !valid {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
			return
		}
		if fail != 0 {
			code, msg := failureCode(fail)
			writeError(w, fail, code, msg)
			return
		}
		next(w, r)
	}
}

func failureCode(status int) (int, string) {
	switch status {
	case http.StatusTooManyRequests:
		return 20429, "Too Many Requests"
	case http.StatusInternalServerError:
		return 20500, "Internal Server Error"
	case http.StatusServiceUnavailable:
		return 20503, "Service Unavailable"
	default:
		return 20001, http.StatusText(status)
	}
}

// apiError is Twilio's error body.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, apiError{
		Code:     code,
		Message:  msg,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
		Status:   status,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
