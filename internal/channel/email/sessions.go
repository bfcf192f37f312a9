package email

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/wneessen/go-mail/smtp"
)

// Kept connections. Relays close idle connections on their own (Postfix
// after 300 s, hosted relays sooner), and some cap the messages per
// connection; a connection past either limit is hung up instead of used.
// Times are the wall clock: this is connection housekeeping, not engine
// time.
const (
	maxIdleSessions = 64               // up to --send-workers connections are in use at once (16 by default)
	idleTimeout     = 15 * time.Second // kept no longer than this unused
	maxPerSession   = 100              // messages on one connection
)

// session is an open SMTP connection, greeted and authenticated.
type session struct {
	conn   net.Conn
	client *smtp.Client // nil until the greeting was read
	sent   int          // messages delivered on it
	idleAt time.Time    // when it was last put back
}

// bind makes ctx bound the connection until the returned func is called:
// its deadline bounds every read and write, and cancellation closes the
// connection. The func reports whether ctx let the connection be (it was
// not closed by a cancellation) and clears the deadline.
func (ss *session) bind(ctx context.Context) func() bool {
	conn := ss.conn // what bind saw: open may wrap ss.conn in TLS meanwhile; closing this closes both
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	return func() bool {
		if !stop() {
			return false
		}
		_ = conn.SetDeadline(time.Time{})
		return true
	}
}

// close hangs up without QUIT (after a failure, or on a connection the
// server may already have closed).
func (ss *session) close() {
	if ss.client != nil {
		_ = ss.client.Close()
		return
	}
	_ = ss.conn.Close()
}

// quit says QUIT, briefly, and hangs up.
func (ss *session) quit() {
	_ = ss.conn.SetDeadline(time.Now().Add(time.Second))
	if ss.client != nil {
		_ = ss.client.Quit()
	}
	ss.close()
}

// idleSessions are the connections waiting for the next message, newest
// last.
type idleSessions struct {
	mu     sync.Mutex
	list   []*session
	closed bool
}

// take returns the newest idle session, hanging up those too long idle.
func (l *idleSessions) take(now time.Time) *session {
	l.mu.Lock()
	var stale []*session
	var ss *session
	for len(l.list) > 0 {
		last := l.list[len(l.list)-1]
		l.list = l.list[:len(l.list)-1]
		if now.Sub(last.idleAt) < idleTimeout {
			ss = last
			break
		}
		stale = append(stale, last)
	}
	// What is left is older still: hang it up too.
	for len(l.list) > 0 && now.Sub(l.list[0].idleAt) >= idleTimeout {
		stale = append(stale, l.list[0])
		l.list = l.list[1:]
	}
	l.mu.Unlock()
	for _, s := range stale {
		s.close() // no QUIT: a relay that dropped it silently would make the send wait
	}
	return ss
}

// put keeps ss for the next message, or hangs it up when it has carried
// enough, enough are idle already, or the Sender is closed.
func (l *idleSessions) put(ss *session, now time.Time) {
	l.mu.Lock()
	if l.closed || ss.sent >= maxPerSession || len(l.list) >= maxIdleSessions {
		l.mu.Unlock()
		ss.quit()
		return
	}
	ss.idleAt = now
	l.list = append(l.list, ss)
	l.mu.Unlock()
}

// closeAll hangs up every idle session; later ones are not kept.
func (l *idleSessions) closeAll() {
	l.mu.Lock()
	list := l.list
	l.list, l.closed = nil, true
	l.mu.Unlock()
	for _, ss := range list {
		ss.quit()
	}
}

// Close hangs up the connections kept for later messages. A Send after
// Close still works, on a connection of its own.
func (s *Sender) Close() error {
	s.idle.closeAll()
	return nil
}
