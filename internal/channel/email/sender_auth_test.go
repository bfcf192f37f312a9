package email

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
)

func TestSendAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		server       []emailtest.Option
		user, pass   string
		wantErr      bool
		wantCode     string
		wantContains string
	}{
		{name: "correct credentials", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret")}, user: "cairn", pass: "s3cret"},
		{name: "LOGIN when the server offers only that", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret"), emailtest.AuthMechanisms("LOGIN")},
			user: "cairn", pass: "s3cret"},
		{name: "wrong password over LOGIN", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret"), emailtest.AuthMechanisms("LOGIN")},
			user: "cairn", pass: "nope", wantErr: true, wantCode: "535", wantContains: "AUTH"},
		{name: "no mechanism in common", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret"), emailtest.AuthMechanisms("CRAM-MD5")},
			user: "cairn", pass: "s3cret", wantErr: true, wantContains: "offers AUTH CRAM-MD5"},
		{name: "wrong password", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret")}, user: "cairn", pass: "wrong",
			wantErr: true, wantCode: "535", wantContains: "AUTH"},
		{name: "wrong username", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret")}, user: "mallory", pass: "s3cret",
			wantErr: true, wantCode: "535", wantContains: "AUTH"},
		{name: "credentials missing", server: []emailtest.Option{emailtest.RequireAuth("cairn", "s3cret")},
			wantErr: true, wantCode: "530", wantContains: "MAIL FROM"},
		{name: "server offers no AUTH", user: "cairn", pass: "s3cret",
			wantErr: true, wantCode: "", wantContains: "does not offer AUTH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := emailtest.Start(t, tt.server...)
			cfg := testConfig(srv)
			cfg.Username, cfg.Password = tt.user, tt.pass
			s := newTestSender(t, cfg)
			_, err := s.Send(t.Context(), testMessage("j1:v1:i1:auth:0"))
			if !tt.wantErr {
				require.NoError(t, err)
				got := srv.Messages()
				require.Len(t, got, 1)
				require.Equal(t, tt.user, got[0].User)
				return
			}
			require.Error(t, err)
			require.ErrorIs(t, err, ErrAuth)
			require.True(t, IsConfigError(err), "the dispatcher must see a configuration problem")
			require.True(t, channel.IsPermanent(err), "retrying this message cannot help")
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.wantCode, ce.Code)
			require.Contains(t, err.Error(), tt.wantContains)
			require.Contains(t, err.Error(), srv.Addr())
			require.NotContains(t, err.Error(), "s3cret", "the password never appears in errors")
			require.Empty(t, srv.Messages())
		})
	}
}
