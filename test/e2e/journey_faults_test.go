package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/ncruces/go-sqlite3/driver" // the "sqlite3" driver lockLog uses
)

// smtpGate is a TCP proxy in front of an SMTP server that can hold one
// message at the most ambiguous moment of a send. Once armed, the next
// message whose DATA the client finishes is forwarded whole — the server
// accepts and records it — but the server's answer is kept back until
// release, so the sender waits for its 250: the provider has the message
// and the sender cannot know. Every other byte flows unchanged.
type smtpGate struct {
	ln       net.Listener
	upstream string
	armed    atomic.Bool
	held     chan string  // the X-Cairn-Key of the held message
	messages atomic.Int64 // messages whose DATA went through

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	holding *replies // the connection whose answer is held
	wg      sync.WaitGroup
}

// dataEnd ends an SMTP DATA section; dot-stuffing keeps it out of bodies.
var dataEnd = []byte("\r\n.\r\n")

// startSMTPGate listens on a free loopback port and forwards to upstream
// (host:port) until the test ends.
func startSMTPGate(t testing.TB, upstream string) *smtpGate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for the SMTP gate: %v", err)
	}
	g := &smtpGate{ln: ln, upstream: upstream, held: make(chan string, 1), conns: map[net.Conn]struct{}{}}
	g.wg.Go(g.accept)
	t.Cleanup(func() {
		ln.Close()
		g.mu.Lock()
		for c := range g.conns {
			c.Close()
		}
		g.conns = nil // later connections are refused
		g.mu.Unlock()
		g.wg.Wait()
	})
	return g
}

func (g *smtpGate) host() string { return g.ln.Addr().(*net.TCPAddr).IP.String() }
func (g *smtpGate) port() int    { return g.ln.Addr().(*net.TCPAddr).Port }

// arm makes the gate hold the answer to the next completed DATA; the held
// message's send key arrives on g.held.
func (g *smtpGate) arm() { g.armed.Store(true) }

func (g *smtpGate) accept() {
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return // closed at the end of the test
		}
		g.wg.Go(func() { g.proxy(c) })
	}
}

func (g *smtpGate) track(c net.Conn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conns == nil {
		return false
	}
	g.conns[c] = struct{}{}
	return true
}

func (g *smtpGate) untrack(c net.Conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.conns, c)
	c.Close()
}

// proxy relays one connection. Once the gate holds it, the server's bytes
// are kept back; hold is set before the client's end of DATA is written
// upstream, so the server's answer to it is never relayed before release.
func (g *smtpGate) proxy(c net.Conn) {
	defer g.untrack(c)
	if !g.track(c) {
		return
	}
	up, err := net.Dial("tcp", g.upstream)
	if err != nil {
		return
	}
	defer g.untrack(up)
	if !g.track(up) {
		return
	}
	back := &replies{client: c}
	g.wg.Go(func() {
		defer c.Close()
		buf := make([]byte, 4096)
		for {
			n, err := up.Read(buf)
			if n > 0 {
				if werr := back.write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	})
	var seen []byte // the client's bytes since the last end of DATA
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			from := max(0, len(seen)-len(dataEnd)+1)
			seen = append(seen, buf[:n]...)
			end := bytes.Contains(seen[from:], dataEnd)
			hold := end && g.armed.CompareAndSwap(true, false)
			if hold {
				back.hold()
				g.mu.Lock()
				g.holding = back
				g.mu.Unlock()
			}
			if _, werr := up.Write(buf[:n]); werr != nil {
				return
			}
			if hold {
				g.held <- headerValue(seen, "X-Cairn-Key")
			}
			if end {
				g.messages.Add(1)
				seen = seen[:0]
			}
		}
		if err != nil {
			return // the client left (or was killed): close upstream too
		}
	}
}

// release passes the held answer on (and everything after it).
func (g *smtpGate) release() error {
	g.mu.Lock()
	r := g.holding
	g.holding = nil
	g.mu.Unlock()
	if r == nil {
		return errors.New("the SMTP gate holds no answer")
	}
	return r.release()
}

// replies relays a server's bytes to its client, or keeps them while held.
type replies struct {
	mu      sync.Mutex
	client  net.Conn
	held    bool
	pending []byte
}

func (r *replies) write(p []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held {
		r.pending = append(r.pending, p...)
		return nil
	}
	_, err := r.client.Write(p)
	return err
}

func (r *replies) hold() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.held = true
}

func (r *replies) release() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.held = false
	_, err := r.client.Write(r.pending)
	r.pending = nil
	if err != nil {
		return fmt.Errorf("relay the held answer: %w", err)
	}
	return nil
}

// headerValue finds "\r\nName: value\r\n" in raw SMTP client bytes.
func headerValue(raw []byte, name string) string {
	i := bytes.Index(raw, []byte("\r\n"+name+": "))
	if i < 0 {
		return ""
	}
	v := raw[i+len(name)+4:]
	if j := bytes.Index(v, []byte("\r\n")); j >= 0 {
		v = v[:j]
	}
	return string(v)
}

// hookGate is an HTTP proxy in front of a webhook receiver that can hold
// one request at the most ambiguous moment: once armed, the next request is
// delivered to the receiver (which records it) but its answer is never
// passed back, so the sender waits until it dies.
type hookGate struct {
	url      string
	upstream string
	armed    atomic.Bool
	held     chan string // the Idempotency-Key of the held request
	release  chan struct{}
	client   *http.Client
}

// startHookGate serves on a free loopback port until the test ends.
func startHookGate(t testing.TB, upstream string) *hookGate {
	t.Helper()
	g := &hookGate{upstream: upstream, held: make(chan string, 1), release: make(chan struct{}),
		client: &http.Client{Transport: &http.Transport{}}}
	srv := httptest.NewServer(http.HandlerFunc(g.handle))
	g.url = srv.URL
	t.Cleanup(func() {
		close(g.release)
		srv.Close()
		g.client.CloseIdleConnections()
	})
	return g
}

// arm makes the gate hold the answer to the next request; its key arrives
// on g.held.
func (g *hookGate) arm() { g.armed.Store(true) }

func (g *hookGate) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, g.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	req.Header = r.Header.Clone()
	res, err := g.client.Do(req)
	if err != nil {
		http.Error(w, "forward: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		http.Error(w, "read the answer: "+err.Error(), http.StatusBadGateway)
		return
	}
	if g.armed.CompareAndSwap(true, false) {
		g.held <- r.Header.Get("Idempotency-Key")
		select {
		case <-r.Context().Done(): // the sender died
		case <-g.release:
		}
		return
	}
	for k, vs := range res.Header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(answer)
}

// lockLog takes the write lock of the server's event log (log.db in dir)
// from this process, as a stalled disk would stall the log writer: the
// server's appends wait (its busy_timeout) while the rest — state.db, the
// API — goes on. unlock rolls back and lets the appends through.
func lockLog(t testing.TB, dir string) (unlock func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "log.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open log.db: %v", err)
	}
	conn, err := db.Conn(t.Context())
	if err != nil {
		db.Close()
		t.Fatalf("connect to log.db: %v", err)
	}
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		db.Close()
		t.Fatalf("take the write lock of log.db: %v", err)
	}
	var once sync.Once
	unlock = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(context.WithoutCancel(t.Context()), "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(unlock)
	return unlock
}
