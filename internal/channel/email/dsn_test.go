package email

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(tb, err)
	return b
}

func TestParseDSN(t *testing.T) {
	t.Parallel()
	hard := channel.Feedback{
		Type:       channel.Bounced,
		Channel:    channel.Email,
		Key:        "j7:v3:inst-0042:welcome-email:0",
		ProviderID: "<5d2c1f0b9e8a7d6c5b4a39281706f5e4@example.com>",
		Address:    "nobody@example.org",
		Hard:       true,
		Reason:     "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
		At:         time.Date(2026, 3, 2, 10, 15, 1, 0, time.UTC),
	}
	tests := []struct {
		file string
		want channel.Feedback
	}{
		{file: "dsn-postfix-hard.eml", want: hard},
		{file: "dsn-postfix-hard-crlf.eml", want: hard},
		{file: "dsn-delayed-soft.eml", want: channel.Feedback{
			Type:       channel.Bounced,
			Channel:    channel.Email,
			Key:        "j9:v1:inst-7:cart-reminder:1",
			ProviderID: "<aa11bb22cc33dd44ee55ff6600112233@example.com>",
			Address:    "full@example.net",
			Hard:       false,
			Reason:     "452 4.2.2 The email account that you tried to reach is over quota.",
			At:         time.Date(2026, 3, 3, 14, 2, 11, 0, time.UTC),
		}},
		{file: "dsn-multi-recipient.eml", want: channel.Feedback{
			// The failed recipient wins over the relayed one, and the
			// address Cairn sent to (Original-Recipient) over the alias.
			Type:       channel.Bounced,
			Channel:    channel.Email,
			Key:        "j2:v5:inst-99:announce:0",
			ProviderID: "<0123456789abcdef0123456789abcdef@example.com>",
			Address:    "alice@example.edu",
			Hard:       true,
			Reason:     "552 5.2.2 Mailbox full",
			At:         time.Date(2026, 3, 4, 13, 0, 4, 0, time.UTC),
		}},
		{file: "dsn-success.eml", want: channel.Feedback{
			Type:       channel.Delivered,
			Channel:    channel.Email,
			Key:        "j1:v1:inst-1:receipt:0",
			ProviderID: "<ffeeddccbbaa99887766554433221100@example.com>",
			Address:    "carol@example.org",
			Reason:     "250 2.0.0 Ok: queued as 4Za1B2c3",
			At:         time.Date(2026, 3, 5, 9, 0, 1, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDSN(bytes.NewReader(readTestdata(t, tt.file)))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseDSNStatusRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		group    string
		wantType channel.FeedbackType
		wantHard bool
		reason   string
	}{
		{"failed 5.x.x is hard", "Action: failed\nStatus: 5.7.1\n", channel.Bounced, true, "5.7.1"},
		{"failed 4.x.x is soft", "Action: failed\nStatus: 4.4.7\n", channel.Bounced, false, "4.4.7"},
		{"failed without status but 5xx diagnostic is hard", "Action: failed\nDiagnostic-Code: smtp; 554 rejected\n", channel.Bounced, true, "554 rejected"},
		{"failed without status but 4xx diagnostic is soft", "Action: failed\nDiagnostic-Code: smtp; 421 try later\n", channel.Bounced, false, "421 try later"},
		{"failed without status or diagnostic is hard", "Action: failed\n", channel.Bounced, true, ""},
		{"missing action inferred from 5.x.x", "Status: 5.1.1 (user unknown)\n", channel.Bounced, true, "5.1.1"},
		{"missing action inferred from 2.x.x", "Status: 2.0.0\n", channel.Delivered, false, "2.0.0"},
		{"action is case-insensitive", "Action: FAILED\nStatus: 5.1.1\n", channel.Bounced, true, "5.1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw := dsnWith("Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; <x@example.org>\n" + tt.group)
			got, err := ParseDSN(strings.NewReader(raw))
			require.NoError(t, err)
			require.Equal(t, tt.wantType, got.Type)
			require.Equal(t, tt.wantHard, got.Hard)
			require.Equal(t, tt.reason, got.Reason)
			require.Equal(t, "x@example.org", got.Address)
			require.Empty(t, got.Key, "no returned headers, no key")
		})
	}
}

func TestParseDSNErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"plain message", "From: a@example.com\nSubject: hi\n\nhello\n", ErrNotReport},
		{"not a message", "\x00\x01garbage", ErrNotReport},
		{"feedback report", strings.Replace(dsnWith("Feedback-Type: abuse\n"), "delivery-status;", "feedback-report;", 1), ErrNotReport},
		{"no status part", "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nsorry\n--b--\n", ErrMalformedReport},
		{"no boundary", "Content-Type: multipart/report; report-type=delivery-status\n\nbody\n", ErrMalformedReport},
		{"no recipient", dsnWith("Reporting-MTA: dns; mx.example.org\n\nAction: failed\nStatus: 5.1.1\n"), ErrMalformedReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDSN(strings.NewReader(tt.raw))
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// dsnWith wraps a delivery-status body in a minimal DSN.
func dsnWith(status string) string {
	return "From: MAILER-DAEMON@mx.example.org\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
		"--b\nContent-Type: text/plain\n\nundeliverable\n" +
		"--b\nContent-Type: message/delivery-status\n\n" + status + "\n--b--\n"
}

func FuzzParseDSN(f *testing.F) {
	for _, name := range []string{"dsn-postfix-hard.eml", "dsn-delayed-soft.eml", "dsn-multi-recipient.eml", "dsn-success.eml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(dsnWith("Final-Recipient: rfc822; x@example.org\nAction: failed\nStatus: 5.1.1\n")))
	f.Add([]byte("Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\nQWN0aW9uOiBmYWlsZWQ=\n--b--\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fb, err := ParseDSN(bytes.NewReader(data))
		if err != nil {
			return
		}
		if fb.Type != channel.Bounced && fb.Type != channel.Delivered {
			t.Fatalf("type %q", fb.Type)
		}
		if fb.Channel != channel.Email || fb.Address == "" {
			t.Fatalf("feedback %+v lacks channel or address", fb)
		}
		if fb.Type == channel.Delivered && fb.Hard {
			t.Fatalf("a delivery cannot be a hard bounce: %+v", fb)
		}
		if fb.ProviderID != "" && (!strings.HasPrefix(fb.ProviderID, "<") || !strings.HasSuffix(fb.ProviderID, ">")) {
			t.Fatalf("provider id %q not in angle brackets", fb.ProviderID)
		}
		if fb.Key != "" && validateKey(fb.Key) != nil {
			t.Fatalf("key %q is not a valid send key", fb.Key)
		}
	})
}
