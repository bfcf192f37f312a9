package webhooktest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/webhook"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// Options configure a Server.
type Options struct {
	// Secret, when set, makes the server reject requests whose
	// X-Cairn-Signature does not verify (401).
	Secret []byte
	// Tolerance for the signature timestamp. Default webhook.DefaultTolerance.
	Tolerance time.Duration
	// Clock the timestamp is checked against. Default wall clock.
	Clock clock.Clock
}

// Request is one request the server saw.
type Request struct {
	Key    string // Idempotency-Key
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

type failure struct {
	status     int
	retryAfter time.Duration
}

type answer struct {
	status int
	body   []byte
}

// Server is a running receiver; URL is its address.
type Server struct {
	URL string

	srv  *httptest.Server
	opts Options

	mu         sync.Mutex
	attempts   int
	received   []Request
	duplicates []Request
	rejected   []Request
	failures   []failure
	answers    map[string]answer
	next       answer
}

// New starts a server; it is closed when tb's test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Tolerance == 0 {
		opts.Tolerance = webhook.DefaultTolerance
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	s := &Server{
		opts:    opts,
		answers: make(map[string]answer),
		next:    answer{status: http.StatusOK, body: []byte(`{"ok":true}`)},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Close stops the server early (it also stops at the end of the test).
func (s *Server) Close() { s.srv.Close() }

// FailNext makes the next n verified requests fail with status, sending
// Retry-After when retryAfter > 0. Failed requests do not count as
// received, so the retry of the same key is a first delivery.
func (s *Server) FailNext(n, status int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{status: status, retryAfter: retryAfter})
	}
}

// Respond sets the answer to the following first deliveries.
func (s *Server) Respond(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = answer{status: status, body: append([]byte(nil), body...)}
}

// Attempts counts every request, rejected and failed ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Received returns the first delivery of each Idempotency-Key, in order.
func (s *Server) Received() []Request { return s.snapshot(&s.received) }

// Duplicates returns the requests that repeated an already delivered key.
func (s *Server) Duplicates() []Request { return s.snapshot(&s.duplicates) }

// Rejected returns the requests refused for a bad or missing signature or
// a missing Idempotency-Key.
func (s *Server) Rejected() []Request { return s.snapshot(&s.rejected) }

func (s *Server) snapshot(list *[]Request) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), (*list)...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	req := Request{
		Key:    r.Header.Get("Idempotency-Key"),
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
		Body:   body,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, `{"error":"body too large"}`)
		return
	}
	if len(s.opts.Secret) > 0 {
		if err := webhook.Verify(s.opts.Secret, r.Header.Get(webhook.SignatureHeader), body, s.opts.Clock.Now(), s.opts.Tolerance); err != nil {
			s.rejected = append(s.rejected, req)
			writeJSON(w, http.StatusUnauthorized, `{"error":"invalid signature"}`)
			return
		}
	}
	if req.Key == "" {
		s.rejected = append(s.rejected, req)
		writeJSON(w, http.StatusBadRequest, `{"error":"missing Idempotency-Key"}`)
		return
	}
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		if f.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(f.retryAfter/time.Second)))
		}
		writeJSON(w, f.status, `{"error":"injected failure"}`)
		return
	}
	if a, ok := s.answers[req.Key]; ok {
		s.duplicates = append(s.duplicates, req)
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, a.status, string(a.body))
		return
	}
	s.received = append(s.received, req)
	a := s.next
	if a.status >= 200 && a.status < 300 {
		s.answers[req.Key] = a
	}
	w.Header().Set("X-Request-Id", "req_"+strconv.Itoa(len(s.received)))
	writeJSON(w, a.status, string(a.body))
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
