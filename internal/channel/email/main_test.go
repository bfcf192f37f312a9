package email

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// TestMain checks that no test leaves a goroutine behind: the test SMTP
// servers, the connections Send opens and the DKIM signer's.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testNow is the manual clock's time in every Send test.
var testNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// testConfig reaches srv without TLS or AUTH.
func testConfig(srv *emailtest.Server) Config {
	return Config{
		Host:         srv.Host(),
		Port:         srv.Port(),
		TLS:          TLSNone,
		From:         "news@example.com",
		FromName:     "Example News",
		EnvelopeFrom: "bounces@example.com",
		HeloName:     "cairn.test",
		Timeout:      Duration(10 * time.Second),
	}
}

func newTestSender(tb testing.TB, cfg Config) *Sender {
	tb.Helper()
	s, err := New(cfg, nil, WithClock(clock.NewManual(testNow)))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = s.Close() }) // hang up kept connections before the test server stops
	return s
}

func testMessage(key string) channel.Message {
	return channel.Message{
		Key:       key,
		Channel:   channel.Email,
		ProfileID: "p-1",
		To:        "ann@example.org",
		Subject:   "Welcome, Ann",
		Text:      "Hi Ann,\nwelcome aboard.",
		HTML:      "<p>Hi Ann,</p><p>welcome aboard.</p>",
	}
}

// bodyParts returns the decoded text parts of a received message by media
// type, and the top-level media type.
func bodyParts(tb testing.TB, data []byte) (string, map[string]string) {
	tb.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	require.NoError(tb, err)
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(tb, err)
	parts := map[string]string{}
	if mediaType != "multipart/alternative" {
		require.Equal(tb, "quoted-printable", msg.Header.Get("Content-Transfer-Encoding"))
		b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		require.NoError(tb, err)
		// The body's last line ends in CRLF like every line of a message.
		parts[mediaType] = strings.TrimSuffix(string(b), "\r\n")
		return mediaType, parts
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(tb, err)
		pt, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(tb, err)
		b, err := io.ReadAll(p)
		require.NoError(tb, err)
		parts[pt] = string(b)
	}
	return mediaType, parts
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
