package delivery

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
)

func fuzzDispatcher() *Dispatcher {
	return New(Config{Secret: []byte(testSecret), PublicURL: "https://cairn.example.com"}, nil, nil, nil, nil,
		clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
}

// FuzzTrackingTokens: a token verifies only for what it was made for, and
// every made token verifies, whatever the key and URL hold.
func FuzzTrackingTokens(f *testing.F) {
	d := fuzzDispatcher()
	f.Add("sk_0123abcd", "https://shop.example.com/?a=1&b=2", "")
	f.Add("msg.with.dots", "http://x", "k.AAAA")
	f.Add("", "", ".")
	f.Add("k", "javascript:alert(1)", d.ClickToken("k", "https://a.example"))
	f.Add("k", "https://a.example", d.OpenToken("k"))
	f.Fuzz(func(t *testing.T, key, u, token string) {
		if key != "" {
			got, err := d.VerifyOpen(d.OpenToken(key))
			require.NoError(t, err)
			require.Equal(t, key, got)
			got, err = d.VerifyClick(d.ClickToken(key, u), u)
			require.NoError(t, err)
			require.Equal(t, key, got)
			_, err = d.VerifyClick(d.OpenToken(key), u)
			require.ErrorIs(t, err, ErrBadToken, "an open token is no click token")
			_, err = d.VerifyOpen(d.ClickToken(key, u))
			require.ErrorIs(t, err, ErrBadToken, "a click token is no open token")
		}
		// An arbitrary token verifies only if it is exactly the token of its key.
		if k, err := d.VerifyOpen(token); err == nil {
			require.Equal(t, d.OpenToken(k), token)
		}
		if k, err := d.VerifyClick(token, u); err == nil {
			require.Equal(t, d.ClickToken(k, u), token)
			if u != "" {
				_, err := d.VerifyClick(token, u+"x")
				require.ErrorIs(t, err, ErrBadToken, "the token binds the destination")
			}
		}
	})
}

func TestTrackURLsNeedPublicURLAndSecret(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{{PublicURL: "https://c.example"}, {Secret: []byte("s")}} {
		d := New(cfg, nil, nil, nil, nil, clock.NewManual(t0), slog.New(slog.DiscardHandler), nil)
		pixel, wrap := d.TrackURLs("k")
		require.Empty(t, pixel)
		require.Nil(t, wrap)
	}
	pixel, wrap := fuzzDispatcher().TrackURLs("k")
	require.Equal(t, "https://cairn.example.com/t/o/"+fuzzDispatcher().OpenToken("k"), pixel)
	require.Contains(t, wrap("https://a.example/?q=1&r=2"), "?u=https%3A%2F%2Fa.example%2F%3Fq%3D1%26r%3D2")
}
