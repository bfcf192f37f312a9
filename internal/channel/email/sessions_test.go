package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
)

// TestSendKeepsTheConnection: consecutive messages go over one
// connection (greeting, TLS and AUTH once), each still accepted on its own.
func TestSendKeepsTheConnection(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t, emailtest.WithSTARTTLS(), emailtest.RequireAuth("cairn", "secret"))
	cfg := testConfig(srv)
	cfg.TLS, cfg.CAFile, cfg.Username, cfg.Password = TLSStartTLS, srv.CAFile(), "cairn", "secret"
	s := newTestSender(t, cfg)
	for i := range 3 {
		_, err := s.Send(t.Context(), testMessage(fmt.Sprintf("j1:v1:i%d:welcome:0", i)))
		require.NoError(t, err)
	}
	require.Len(t, srv.Messages(), 3)
	require.Equal(t, 1, srv.Connections())
}

// TestSendReplacesAConnectionTheServerClosed: a relay closes connections
// it finds idle; the next message notices at MAIL and goes over a new
// connection, sent once.
func TestSendReplacesAConnectionTheServerClosed(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	_, err := s.Send(t.Context(), testMessage("j1:v1:i1:welcome:0"))
	require.NoError(t, err)
	srv.DropConnections()
	_, err = s.Send(t.Context(), testMessage("j1:v1:i2:welcome:0"))
	require.NoError(t, err)
	require.Len(t, srv.Messages(), 2)
	require.Equal(t, 2, srv.Connections())
}

// TestSendRefusedSenderOnAKeptConnection: a MAIL refusal on a kept
// connection is tried once on a new one, which tells it is the sender
// that is refused: the same permanent error as without keeping.
func TestSendRefusedSenderOnAKeptConnection(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t, emailtest.RejectSender(550, "5.7.1 sender not allowed"))
	s := newTestSender(t, testConfig(srv))
	for i := range 2 {
		_, err := s.Send(t.Context(), testMessage(fmt.Sprintf("j1:v1:i%d:welcome:0", i)))
		require.Error(t, err)
		require.True(t, channel.IsPermanent(err), "%v", err)
	}
	require.Empty(t, srv.Messages())
}

// TestKeptConnectionsExpire: a connection idle longer than idleTimeout, or
// past maxPerSession messages, is hung up instead of used.
func TestKeptConnectionsExpire(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	_, err := s.Send(t.Context(), testMessage("j1:v1:i1:welcome:0"))
	require.NoError(t, err)
	now := time.Now()
	require.Nil(t, s.idle.take(now.Add(idleTimeout+time.Second)), "too long idle")
	require.Empty(t, s.idle.list, "hung up")

	ss := &session{conn: nopConn{}, sent: maxPerSession}
	s.idle.put(ss, now)
	require.Empty(t, s.idle.list, "carried enough")

	require.NoError(t, s.Close())
	_, err = s.Send(t.Context(), testMessage("j1:v1:i2:welcome:0"))
	require.NoError(t, err, "a send after Close works on a connection of its own")
	require.Empty(t, s.idle.list, "and is not kept")
	require.Equal(t, 2, srv.Connections())
}

// nopConn is a net.Conn that does nothing, for a session never used.
type nopConn struct{ net.Conn }

func (nopConn) Close() error                { return nil }
func (nopConn) SetDeadline(time.Time) error { return nil }
func (nopConn) Write(b []byte) (int, error) { return 0, errors.New("closed") }
func (nopConn) Read(b []byte) (int, error)  { return 0, errors.New("closed") }

// BenchmarkSend is one message over SMTP to a local relay with STARTTLS and
// AUTH, from 16 goroutines as the dispatcher's workers send: with kept
// connections a message costs MAIL, RCPT and DATA; a new connection adds
// the TCP connect, EHLO, the TLS handshake, EHLO again and AUTH.
func BenchmarkSend(b *testing.B) {
	srv := emailtest.Start(b, emailtest.WithSTARTTLS(), emailtest.RequireAuth("cairn", "secret"))
	cfg := testConfig(srv)
	cfg.TLS, cfg.CAFile, cfg.Username, cfg.Password = TLSStartTLS, srv.CAFile(), "cairn", "secret"
	s := newTestSender(b, cfg)
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.ReportAllocs()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Send(context.Background(), testMessage(fmt.Sprintf("j1:v1:i%d:welcome:0", n.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
	b.ReportMetric(float64(srv.Connections()), "connections")
}
