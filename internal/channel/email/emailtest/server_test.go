package emailtest

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// These tests drive the server with go-smtp's client, independent of the
// email channel's client that the email package tests use.

const testMessage = "From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\nMessage-ID: <1@example.com>\r\n\r\nhello\r\n"

func TestServerRecordsMessages(t *testing.T) {
	t.Parallel()
	srv := Start(t)
	c, err := smtp.Dial(srv.Addr())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SendMail("a@example.com", []string{"b@example.org", "c@example.org"}, strings.NewReader(testMessage)))
	require.NoError(t, c.Quit())
	got := srv.Messages()
	require.Len(t, got, 1)
	require.Equal(t, "a@example.com", got[0].From)
	require.Equal(t, []string{"b@example.org", "c@example.org"}, got[0].To)
	require.Equal(t, testMessage, string(got[0].Data))
	require.Equal(t, "<1@example.com>", got[0].Header.Get("Message-ID"))
	require.False(t, got[0].TLS)
	require.Empty(t, got[0].User)
}

func TestServerOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     []Option
		auth     sasl.Client
		tls      bool
		wantCode int
		wantEnh  smtp.EnhancedCode
	}{
		{name: "reject one recipient", opts: []Option{RejectRecipient("B@example.org", 550, "5.1.1 no such user")}, wantCode: 550, wantEnh: smtp.EnhancedCode{5, 1, 1}},
		{name: "reject every recipient", opts: []Option{RejectRecipient("*", 451, "4.3.0 later")}, wantCode: 451, wantEnh: smtp.EnhancedCode{4, 3, 0}},
		{name: "reject sender", opts: []Option{RejectSender(553, "not yours")}, wantCode: 553, wantEnh: smtp.EnhancedCode{5, 0, 0}},
		{name: "reject data", opts: []Option{RejectData(552, "5.3.4 too big")}, wantCode: 552, wantEnh: smtp.EnhancedCode{5, 3, 4}},
		{name: "auth required", opts: []Option{RequireAuth("u", "p")}, wantCode: 530, wantEnh: smtp.EnhancedCode{5, 7, 0}},
		{name: "auth wrong", opts: []Option{RequireAuth("u", "p")}, auth: sasl.NewPlainClient("", "u", "x"), wantCode: 535, wantEnh: smtp.EnhancedCode{5, 7, 8}},
		{name: "auth right", opts: []Option{RequireAuth("u", "p")}, auth: sasl.NewPlainClient("", "u", "p")},
		{name: "starttls", opts: []Option{WithSTARTTLS()}, tls: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := Start(t, tt.opts...)
			var c *smtp.Client
			var err error
			if tt.tls {
				pool := x509.NewCertPool()
				require.True(t, pool.AppendCertsFromPEM(srv.CertPEM()))
				c, err = smtp.DialStartTLS(srv.Addr(), &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
			} else {
				c, err = smtp.Dial(srv.Addr())
			}
			require.NoError(t, err)
			defer c.Close()
			if tt.auth != nil {
				err = c.Auth(tt.auth)
			}
			if err == nil {
				err = c.SendMail("a@example.com", []string{"b@example.org"}, strings.NewReader(testMessage))
			}
			if tt.wantCode == 0 {
				require.NoError(t, err)
				got := srv.Messages()
				require.Len(t, got, 1)
				require.Equal(t, tt.tls, got[0].TLS)
				if tt.auth != nil {
					require.Equal(t, "u", got[0].User)
				}
				return
			}
			var se *smtp.SMTPError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.wantCode, se.Code)
			require.Equal(t, tt.wantEnh, se.EnhancedCode)
			require.Empty(t, srv.Messages())
		})
	}
}
