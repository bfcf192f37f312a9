package email

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
)

func TestSendTLS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		server     []emailtest.Option
		mode       TLSMode
		trust      bool // configure the server's certificate as CA
		auth       bool
		wantErr    bool
		wantDetail string
	}{
		{name: "starttls with a trusted certificate", server: []emailtest.Option{emailtest.WithSTARTTLS()}, mode: TLSStartTLS, trust: true},
		{name: "starttls then auth", server: []emailtest.Option{emailtest.WithSTARTTLS(), emailtest.RequireAuth("cairn", "s3cret")}, mode: TLSStartTLS, trust: true, auth: true},
		{name: "implicit tls with a trusted certificate", server: []emailtest.Option{emailtest.WithImplicitTLS()}, mode: TLSImplicit, trust: true},
		{name: "starttls with an untrusted certificate", server: []emailtest.Option{emailtest.WithSTARTTLS()}, mode: TLSStartTLS,
			wantErr: true, wantDetail: "certificate"},
		{name: "implicit tls with an untrusted certificate", server: []emailtest.Option{emailtest.WithImplicitTLS()}, mode: TLSImplicit,
			wantErr: true, wantDetail: "certificate"},
		{name: "starttls required but not offered", mode: TLSStartTLS,
			wantErr: true, wantDetail: "does not offer STARTTLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := emailtest.Start(t, tt.server...)
			cfg := testConfig(srv)
			cfg.TLS = tt.mode
			if tt.trust {
				cfg.CAFile = srv.CAFile()
			}
			if tt.auth {
				cfg.Username, cfg.Password = "cairn", "s3cret"
			}
			s := newTestSender(t, cfg)
			_, err := s.Send(t.Context(), testMessage("j1:v1:i1:tls:0"))
			if tt.wantErr {
				require.ErrorIs(t, err, ErrTLS)
				require.True(t, IsConfigError(err))
				require.False(t, channel.IsPermanent(err), "nothing was sent: a retry is safe once TLS works")
				require.Contains(t, err.Error(), tt.wantDetail)
				require.Contains(t, err.Error(), srv.Addr())
				require.Empty(t, srv.Messages())
				return
			}
			require.NoError(t, err)
			got := srv.Messages()
			require.Len(t, got, 1)
			require.True(t, got[0].TLS, "the message crossed an encrypted session")
			require.Equal(t, "cairn.test", got[0].Helo)
			if tt.auth {
				require.Equal(t, "cairn", got[0].User)
			}
		})
	}
}
