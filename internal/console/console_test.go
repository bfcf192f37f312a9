package console

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(Handler())
	t.Cleanup(srv.Close)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(b)
	}
	index, err := fs.ReadFile(dist, "dist/index.html")
	require.NoError(t, err)

	for _, p := range []string{"/", "/index.html", "/profiles/email:pia@nto.example", "/journeys/j1/edit"} {
		res, body := get(p)
		require.Equal(t, http.StatusOK, res.StatusCode, p)
		require.Equal(t, string(index), body, "%s serves the app", p)
		require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), p)
		require.Equal(t, CSP, res.Header.Get("Content-Security-Policy"), p)
		require.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
	}
	require.NotContains(t, string(index), "<script>", "no inline script: the CSP forbids it")

	assets, _ := fs.Glob(dist, "dist/assets/*")
	for _, a := range assets {
		p := strings.TrimPrefix(a, "dist")
		res, _ := get(p)
		require.Equal(t, http.StatusOK, res.StatusCode, p)
		require.Contains(t, res.Header.Get("Cache-Control"), "immutable", p)
	}
	res, body := get("/v1/no-such-route")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.JSONEq(t, `{"error":{"code":"not_found","message":"no API route /v1/no-such-route; see docs/api.md"}}`, body)
	for _, p := range []string{"/assets/missing.js", "/favicon-missing.png"} {
		res, _ := get(p)
		require.Equal(t, http.StatusNotFound, res.StatusCode, p)
	}
}
