package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

func TestConsoleSession(t *testing.T) {
	t.Parallel()
	lg, st, err := sqlite.Open(t.Context(), t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { lg.Close(); st.Close() })
	api := New(Deps{State: st, Log: lg, Clock: clock.NewManual(t0), AdminToken: "tok", Logger: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	api.registerConsoleSession(mux)
	ok := func(w http.ResponseWriter, r *http.Request) error { _, err := io.WriteString(w, "ok"); return err }
	mux.HandleFunc("GET /test", api.admin(ok))
	mux.HandleFunc("POST /test", api.admin(ok))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := &http.Client{Jar: jar}
	do := func(c *http.Client, method, path, body string, header map[string]string) (int, string, *http.Response) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b), res
	}

	code, body, _ := do(browser, "GET", "/v1/console/session", "", nil)
	require.Equal(t, http.StatusUnauthorized, code, body)
	code, body, _ = do(browser, "POST", "/v1/console/session", `{"token":"nope"}`, nil)
	require.Equal(t, http.StatusUnauthorized, code)
	require.Contains(t, body, "admin.token")
	code, body, _ = do(browser, "GET", "/test", "", nil)
	require.Equal(t, http.StatusUnauthorized, code, "no session yet")

	code, body, res := do(browser, "POST", "/v1/console/session", `{"token":" tok "}`, nil)
	require.Equal(t, http.StatusOK, code, body)
	var sess sessionView
	require.NoError(t, json.Unmarshal([]byte(body), &sess))
	require.NotEmpty(t, sess.CSRF)
	cookie := res.Cookies()[0]
	require.Equal(t, sessionCookie, cookie.Name)
	require.True(t, cookie.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
	require.False(t, cookie.Secure, "plain HTTP on loopback")
	require.NotContains(t, cookie.Value, "tok", "the cookie does not carry the token")

	code, body, _ = do(browser, "GET", "/v1/console/session", "", nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, sess.CSRF)
	code, _, _ = do(browser, "GET", "/test", "", nil)
	require.Equal(t, http.StatusOK, code, "reads need only the cookie")
	code, body, _ = do(browser, "POST", "/test", "", nil)
	require.Equal(t, http.StatusForbidden, code, "writes need the CSRF token too")
	require.Contains(t, body, "X-CSRF-Token")
	code, _, _ = do(browser, "POST", "/test", "", map[string]string{csrfHeader: "forged"})
	require.Equal(t, http.StatusForbidden, code)
	code, _, _ = do(browser, "POST", "/test", "", map[string]string{csrfHeader: sess.CSRF})
	require.Equal(t, http.StatusOK, code)

	// A tampered or foreign cookie is no session; the Bearer token still works alone.
	other := &http.Client{}
	tampered := strings.Replace(cookie.Value, ".", ".9", 1)
	code, _, _ = do(other, "GET", "/test", "", map[string]string{"Cookie": sessionCookie + "=" + tampered})
	require.Equal(t, http.StatusUnauthorized, code)
	code, _, _ = do(other, "POST", "/test", "", map[string]string{"Authorization": "Bearer tok"})
	require.Equal(t, http.StatusOK, code)
	code, _, _ = do(browser, "GET", "/test", "", map[string]string{"Authorization": "Bearer wrong"})
	require.Equal(t, http.StatusUnauthorized, code, "a wrong token is refused even with a session")

	// Behind a TLS proxy the cookie is Secure.
	_, _, res = do(other, "POST", "/v1/console/session", `{"token":"tok"}`, map[string]string{"X-Forwarded-Proto": "https"})
	require.True(t, res.Cookies()[0].Secure)

	code, _, _ = do(browser, "DELETE", "/v1/console/session", "", map[string]string{csrfHeader: sess.CSRF})
	require.Equal(t, http.StatusNoContent, code)
	code, _, _ = do(browser, "GET", "/test", "", nil)
	require.Equal(t, http.StatusUnauthorized, code, "signed out")

	// Rotating the admin token ends every session.
	rotated := New(Deps{State: st, Log: lg, Clock: clock.NewManual(t0), AdminToken: "tok2", Logger: slog.New(slog.DiscardHandler)})
	r := httptest.NewRequest("GET", "/test", nil)
	r.AddCookie(cookie)
	_, _, valid := api.session(r)
	require.True(t, valid)
	_, _, valid = rotated.session(r)
	require.False(t, valid)
}
