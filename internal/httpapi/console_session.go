package httpapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The console signs in with the admin token once and then holds a session
// cookie: HttpOnly (scripts cannot read it), SameSite=Strict (other sites
// cannot send it), Secure behind TLS. The cookie is stateless —
// "v1.<expiry>.<csrf>.<mac>", an HMAC-SHA256 under a key derived from the
// admin token — so sessions survive restarts and end when the token is
// rotated. Requests that change anything must also carry the session's CSRF
// token in X-CSRF-Token (the console reads it from GET /v1/console/session).
const (
	sessionCookie = "cairn_session"
	csrfHeader    = "X-CSRF-Token"
	sessionTTL    = 12 * time.Hour
)

// sessionView is what the session endpoints answer.
type sessionView struct {
	CSRF      string    `json:"csrf"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) registerConsoleSession(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/console/session", s.public(s.signIn))
	mux.HandleFunc("GET /v1/console/session", s.public(s.getSession))
	mux.HandleFunc("DELETE /v1/console/session", s.admin(s.signOut))
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Token string `json:"token"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	tok := strings.TrimSpace(req.Token)
	if s.d.AdminToken == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.d.AdminToken)) != 1 {
		return apiErr(CodeUnauthorized, "that is not this server's admin token: it was printed at the first start, "+
			"and is in admin.token in the data folder (or CAIRN_ADMIN_TOKEN)")
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	csrf := base64.RawURLEncoding.EncodeToString(b[:])
	exp := time.Now().Add(sessionTTL).Truncate(time.Second)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.sessionValue(exp, csrf), Path: "/", Expires: exp,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureRequest(r)})
	s.auditf(r, "console.sign_in", "", "expires=%s", exp.UTC().Format(time.RFC3339))
	writeJSON(w, http.StatusOK, sessionView{CSRF: csrf, ExpiresAt: exp.UTC()})
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	csrf, exp, ok := s.session(r)
	if !ok {
		return apiErr(CodeUnauthorized, "not signed in to the console")
	}
	writeJSON(w, http.StatusOK, sessionView{CSRF: csrf, ExpiresAt: exp.UTC()})
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureRequest(r)})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// session reads and checks the session cookie of r.
func (s *Server) session(r *http.Request) (csrf string, exp time.Time, ok bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.d.AdminToken == "" {
		return "", time.Time{}, false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 || parts[0] != "v1" {
		return "", time.Time{}, false
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	exp = time.Unix(unix, 0)
	if !hmac.Equal([]byte(s.sessionValue(exp, parts[2])), []byte(c.Value)) || !time.Now().Before(exp) {
		return "", time.Time{}, false
	}
	return parts[2], exp, true
}

// sessionValue is the signed cookie value of a session.
func (s *Server) sessionValue(exp time.Time, csrf string) string {
	key := sha256.Sum256([]byte("cairn console session\x00" + s.d.AdminToken))
	payload := "v1." + strconv.FormatInt(exp.Unix(), 10) + "." + csrf
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// secureRequest reports a request that reached us over TLS, directly or
// through a proxy that says so.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
