package email

import (
	"context"
	"fmt"
	"mime"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
)

func TestSendDeliversBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		text      string
		html      string
		wantType  string
		wantParts map[string]string
	}{
		{
			name:      "text and html as multipart/alternative",
			text:      "Hi Ann,\nwelcome aboard.",
			html:      "<p>Hi Ann</p>",
			wantType:  "multipart/alternative",
			wantParts: map[string]string{"text/plain": "Hi Ann,\r\nwelcome aboard.", "text/html": "<p>Hi Ann</p>"},
		},
		{
			name:      "text only",
			text:      "Your code is 123456. Ünïcödé and a long line that goes on and on well past the seventy-six characters quoted-printable allows.",
			wantType:  "text/plain",
			wantParts: map[string]string{"text/plain": "Your code is 123456. Ünïcödé and a long line that goes on and on well past the seventy-six characters quoted-printable allows."},
		},
		{
			name:      "html only",
			html:      "<h1>Sale</h1>\n<p>50% off</p>",
			wantType:  "text/html",
			wantParts: map[string]string{"text/html": "<h1>Sale</h1>\r\n<p>50% off</p>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := emailtest.Start(t)
			s := newTestSender(t, testConfig(srv))
			m := testMessage("j1:v1:i1:welcome:0")
			m.Text, m.HTML = tt.text, tt.html

			rcpt, err := s.Send(t.Context(), m)
			require.NoError(t, err)
			require.Equal(t, MessageID(m.Key, "example.com"), rcpt.ProviderID)
			require.Equal(t, "sent", rcpt.Status)
			require.True(t, strings.HasPrefix(rcpt.Detail, "250 "), "detail %q", rcpt.Detail)

			got := srv.Messages()
			require.Len(t, got, 1)
			require.Equal(t, "bounces@example.com", got[0].From)
			require.Equal(t, []string{"ann@example.org"}, got[0].To)
			require.Equal(t, "cairn.test", got[0].Helo)
			require.Empty(t, got[0].User)
			require.False(t, got[0].TLS)
			mediaType, parts := bodyParts(t, got[0].Data)
			require.Equal(t, tt.wantType, mediaType)
			require.Equal(t, tt.wantParts, parts)
		})
	}
}

func TestSendHeaders(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	cfg := testConfig(srv)
	cfg.ReplyTo = "help@example.com"
	cfg.MessageIDDomain = "mail.example.com"
	s := newTestSender(t, cfg)

	tests := []struct {
		name  string
		edit  func(*channel.Message)
		check func(t *testing.T, h func(string) string)
	}{
		{
			name: "standard headers",
			edit: func(m *channel.Message) { m.To = "Ann Example <ann@example.org>"; m.Subject = "Grüße,\nAnn" },
			check: func(t *testing.T, h func(string) string) {
				require.Equal(t, `"Example News" <news@example.com>`, h("From"))
				require.Equal(t, `"Ann Example" <ann@example.org>`, h("To"))
				subject, err := new(mime.WordDecoder).DecodeHeader(h("Subject"))
				require.NoError(t, err)
				require.Equal(t, "Grüße, Ann", subject, "line breaks in a subject are folded into spaces")
				require.Equal(t, "Sun, 01 Mar 2026 09:30:00 +0000", h("Date"), "Date comes from the injected clock")
				require.Equal(t, "<help@example.com>", h("Reply-To"))
				require.Equal(t, "1.0", h("MIME-Version"))
				require.Equal(t, "j1:v1:i1:hdr:0", h(KeyHeader))
				require.Equal(t, MessageID("j1:v1:i1:hdr:0", "mail.example.com"), h("Message-ID"))
				require.Empty(t, h("List-Unsubscribe"))
				require.Empty(t, h("List-Unsubscribe-Post"))
			},
		},
		{
			name: "one-click unsubscribe for https",
			edit: func(m *channel.Message) { m.UnsubscribeURL = "https://cairn.example.com/u/abc123?sig=Zm9v" },
			check: func(t *testing.T, h func(string) string) {
				require.Equal(t, "<https://cairn.example.com/u/abc123?sig=Zm9v>", h("List-Unsubscribe"))
				require.Equal(t, "List-Unsubscribe=One-Click", h("List-Unsubscribe-Post"))
			},
		},
		{
			name: "http unsubscribe gets no one-click post",
			edit: func(m *channel.Message) { m.UnsubscribeURL = "http://localhost:8080/u/abc" },
			check: func(t *testing.T, h func(string) string) {
				require.Equal(t, "<http://localhost:8080/u/abc>", h("List-Unsubscribe"))
				require.Empty(t, h("List-Unsubscribe-Post"))
			},
		},
		{
			name: "extra headers and a message reply-to",
			edit: func(m *channel.Message) {
				m.Headers = map[string]string{"x-campaign-id": "spring-2026", "Reply-To": "Support <support@example.com>", "Precedence": "bulk"}
			},
			check: func(t *testing.T, h func(string) string) {
				require.Equal(t, "spring-2026", h("X-Campaign-Id"))
				require.Equal(t, "bulk", h("Precedence"))
				require.Equal(t, `"Support" <support@example.com>`, h("Reply-To"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage("j1:v1:i1:hdr:0")
			tt.edit(&m)
			before := len(srv.Messages())
			_, err := s.Send(t.Context(), m)
			require.NoError(t, err)
			got := srv.Messages()
			require.Len(t, got, before+1)
			tt.check(t, got[before].Header.Get)
		})
	}
}

func TestSendMessageIDIsDeterministic(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	send := func(key string) string {
		r, err := s.Send(t.Context(), testMessage(key))
		require.NoError(t, err)
		msgs := srv.Messages()
		require.Equal(t, r.ProviderID, msgs[len(msgs)-1].Header.Get("Message-ID"), "receipt and header agree")
		return r.ProviderID
	}
	first := send("j1:v1:i9:n1:0")
	require.Equal(t, first, send("j1:v1:i9:n1:0"), "a resend under the same key keeps the Message-ID")
	require.NotEqual(t, first, send("j1:v1:i9:n1:1"), "another attempt key gets another Message-ID")
}

func TestSendConcurrently(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := testMessage(fmt.Sprintf("j1:v1:i%d:n1:0", i))
			m.To = fmt.Sprintf("user%d@example.org", i)
			_, err := s.Send(t.Context(), m)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got := srv.Messages()
	require.Len(t, got, n)
	seen := map[string]bool{}
	for _, r := range got {
		seen[r.To[0]+" "+r.Header.Get(KeyHeader)] = true
	}
	for i := range n {
		require.True(t, seen[fmt.Sprintf("user%d@example.org j1:v1:i%d:n1:0", i, i)], "message %d", i)
	}
}

func TestSendRejections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		opt           emailtest.Option
		wantPermanent bool
		wantCode      string
		wantConfig    bool
		wantText      string
	}{
		{"550 mailbox unavailable at RCPT is permanent", emailtest.RejectRecipient("ann@example.org", 550, "5.1.1 no such user"), true, "550", false, "RCPT TO"},
		{"451 at RCPT is temporary", emailtest.RejectRecipient("*", 451, "4.3.0 try again later"), false, "451", false, "try again later"},
		{"452 insufficient storage is temporary", emailtest.RejectRecipient("*", 452, "4.2.2 mailbox full"), false, "452", false, "mailbox full"},
		{"552 at end of DATA is permanent", emailtest.RejectData(552, "5.3.4 message too big"), true, "552", false, "end of DATA"},
		{"554 content rejected at DATA is permanent", emailtest.RejectData(554, "5.7.1 looks like spam"), true, "554", false, "spam"},
		{"451 at end of DATA is temporary", emailtest.RejectData(451, "4.7.1 greylisted"), false, "451", false, "greylisted"},
		{"553 at MAIL FROM is a permanent relay refusal", emailtest.RejectSender(553, "5.7.1 sender not owned by user"), true, "553", true, "MAIL FROM"},
		{"421 at MAIL FROM is temporary", emailtest.RejectSender(421, "4.3.2 shutting down"), false, "421", false, "shutting down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := emailtest.Start(t, tt.opt)
			s := newTestSender(t, testConfig(srv))
			_, err := s.Send(t.Context(), testMessage("j1:v1:i1:n1:0"))
			require.Error(t, err)
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.wantPermanent, channel.IsPermanent(err))
			require.Equal(t, tt.wantCode, ce.Code)
			require.Equal(t, tt.wantConfig, IsConfigError(err))
			require.Equal(t, tt.wantConfig, errorsIs(err, ErrRelay))
			require.Contains(t, err.Error(), tt.wantText)
			require.Contains(t, err.Error(), srv.Addr())
			require.Empty(t, srv.Messages())
		})
	}
}

func TestSendServerDown(t *testing.T) {
	t.Parallel()
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().(*net.TCPAddr)
	require.NoError(t, l.Close())

	s := newTestSender(t, Config{Host: "127.0.0.1", Port: addr.Port, TLS: TLSNone, From: "news@example.com"})
	_, err = s.Send(t.Context(), testMessage("j1:v1:i1:n1:0"))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err), "an unreachable server is worth retrying")
	require.False(t, IsConfigError(err))
	require.Contains(t, err.Error(), fmt.Sprintf("connect to smtp server 127.0.0.1:%d", addr.Port))
}

func TestSendTimesOutOnSilentServer(t *testing.T) {
	t.Parallel()
	// A server that accepts connections and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = l.Close(); wg.Wait() })
	wg.Go(func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				_ = c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	})

	cfg := Config{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: TLSNone, From: "news@example.com", Timeout: Duration(200 * time.Millisecond)}
	s := newTestSender(t, cfg)
	_, err = s.Send(t.Context(), testMessage("j1:v1:i1:n1:0"))
	require.Error(t, err)
	require.False(t, channel.IsPermanent(err))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Contains(t, err.Error(), "greeting")
}

func TestSendCancelledContext(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Send(ctx, testMessage("j1:v1:i1:n1:0"))
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, channel.IsPermanent(err))
	require.Empty(t, srv.Messages())
}

func TestSendRefusesInvalidMessage(t *testing.T) {
	t.Parallel()
	srv := emailtest.Start(t)
	s := newTestSender(t, testConfig(srv))
	tests := []struct {
		name string
		edit func(*channel.Message)
		want error
	}{
		{"no key", func(m *channel.Message) { m.Key = "" }, ErrNoKey},
		{"key with a line break", func(m *channel.Message) { m.Key = "a\r\nBcc: x@evil.example" }, ErrHeader},
		{"no body", func(m *channel.Message) { m.Text, m.HTML = "", "" }, ErrNoBody},
		{"bad recipient", func(m *channel.Message) { m.To = "not an address" }, ErrRecipient},
		{"recipient with injected line", func(m *channel.Message) { m.To = "ann@example.org\r\nBcc: x@evil.example" }, ErrRecipient},
		{"reserved header", func(m *channel.Message) { m.Headers = map[string]string{"message-id": "<x@y>"} }, ErrHeader},
		{"header injection", func(m *channel.Message) { m.Headers = map[string]string{"X-Tag": "a\r\nBcc: x@evil.example"} }, ErrHeader},
		{"header name with colon", func(m *channel.Message) { m.Headers = map[string]string{"X-A:B": "c"} }, ErrHeader},
		{"bad reply-to", func(m *channel.Message) { m.Headers = map[string]string{"Reply-To": "nobody"} }, ErrHeader},
		{"unsubscribe not http", func(m *channel.Message) { m.UnsubscribeURL = "mailto:unsub@example.com" }, ErrHeader},
		{"unsubscribe with angle bracket", func(m *channel.Message) { m.UnsubscribeURL = "https://x.example/u>,<https://evil.example" }, ErrHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage("j1:v1:i1:n1:0")
			tt.edit(&m)
			_, err := s.Send(t.Context(), m)
			require.ErrorIs(t, err, tt.want)
			require.True(t, channel.IsPermanent(err))
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, CodeInvalidMessage, ce.Code)
			require.False(t, IsConfigError(err))
		})
	}
	require.Empty(t, srv.Messages())
}
