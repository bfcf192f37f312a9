package email

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
)

func TestParseARF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want channel.Feedback
	}{
		{file: "arf-abuse.eml", want: channel.Feedback{
			Type:       channel.Complained,
			Channel:    channel.Email,
			Key:        "j4:v2:inst-310:newsletter:0",
			ProviderID: "<0f1e2d3c4b5a69788796a5b4c3d2e1f0@example.com>",
			Address:    "dave@example.net",
			Reason:     "abuse",
			At:         time.Date(2026, 3, 6, 2, 30, 17, 0, time.UTC),
		}},
		{file: "arf-redacted.eml", want: channel.Feedback{
			// No Original-Rcpt-To: the address comes from the returned
			// message's To, the time from Received-Date.
			Type:       channel.Complained,
			Channel:    channel.Email,
			Key:        "j4:v2:inst-311:newsletter:0",
			ProviderID: "<1234abcd1234abcd1234abcd1234abcd@example.com>",
			Address:    "erin@example.net",
			Reason:     "abuse",
			At:         time.Date(2026, 3, 7, 19, 19, 2, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := ParseARF(bytes.NewReader(readTestdata(t, tt.file)))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseARFErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"not-spam is no complaint", string(readTestdata(t, "arf-not-spam.eml")), ErrNotReport},
		{"delivery status is no feedback report", string(readTestdata(t, "dsn-postfix-hard.eml")), ErrNotReport},
		{"plain message", "Subject: hi\n\nhello\n", ErrNotReport},
		{"no feedback type", arfWith("User-Agent: x/1\nVersion: 1\nOriginal-Rcpt-To: <a@example.net>\n", ""), ErrMalformedReport},
		{"no recipient and no original", arfWith("Feedback-Type: abuse\nVersion: 1\n", ""), ErrMalformedReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseARF(strings.NewReader(tt.raw))
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestParseARFMatchesSentMessage(t *testing.T) {
	t.Parallel()
	// A complaint that returns only the headers still leads to the send.
	id := MessageID("j1:v1:i1:n1:0", "example.com")
	raw := arfWith("Feedback-Type: fraud\nVersion: 1\n",
		"Message-ID: "+id+"\nX-Cairn-Key: j1:v1:i1:n1:0\n")
	got, err := ParseARF(strings.NewReader(raw))
	require.NoError(t, err)
	require.Equal(t, "fraud", got.Reason)
	require.Equal(t, id, got.ProviderID)
	require.Equal(t, "j1:v1:i1:n1:0", got.Key)
	require.Empty(t, got.Address)
}

// arfWith wraps a feedback-report body, and returned headers when given,
// in a minimal ARF report.
func arfWith(report, headers string) string {
	s := "From: fbl@mailbox.example\n" +
		"Content-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\n\n" +
		"--f\nContent-Type: text/plain\n\nabuse report\n" +
		"--f\nContent-Type: message/feedback-report\n\n" + report + "\n"
	if headers != "" {
		s += "--f\nContent-Type: text/rfc822-headers\n\n" + headers + "\n"
	}
	return s + "--f--\n"
}

func FuzzParseARF(f *testing.F) {
	for _, name := range []string{"arf-abuse.eml", "arf-redacted.eml", "arf-not-spam.eml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(arfWith("Feedback-Type: abuse\nOriginal-Rcpt-To: <a@example.net>\n", "Message-ID: <x@y>\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		fb, err := ParseARF(bytes.NewReader(data))
		if err != nil {
			return
		}
		if fb.Type != channel.Complained || fb.Channel != channel.Email {
			t.Fatalf("feedback %+v is not an email complaint", fb)
		}
		if fb.Reason == "" || fb.Reason == "not-spam" {
			t.Fatalf("reason %q", fb.Reason)
		}
		if fb.Address == "" && fb.Key == "" && fb.ProviderID == "" {
			t.Fatalf("feedback %+v cannot be matched to a send", fb)
		}
	})
}
