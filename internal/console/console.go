// Package console serves the web console: the single-page app built from
// ui/ (Vite writes it to dist/, which is committed so that `go run
// ./cmd/cairn serve --demo` needs only Go) and embedded in the binary. The
// console talks to the management API under /v1 with a session cookie
// (internal/httpapi/console_session.go).
package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// CSP is the Content-Security-Policy of every console response: only the
// binary's own scripts, styles and API; no inline code, no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// staticExt are the file kinds a missing path answers 404 for instead of
// the app.
var staticExt = map[string]bool{".js": true, ".css": true, ".map": true, ".png": true, ".svg": true, ".ico": true,
	".jpg": true, ".webp": true, ".woff": true, ".woff2": true, ".txt": true, ".json": true}

// Handler serves the built assets and, for every other GET path, the app's
// index.html (the app routes on the client). Hashed assets (assets/…) are
// cached for a year; index.html is revalidated every time.
func Handler() http.Handler {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	index, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic("console: dist/index.html is missing from the build: " + err.Error())
	}
	files := http.FileServerFS(root)
	started := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if strings.HasPrefix(r.URL.Path, "/v1/") { // an API path no route has: the API's 404, not the app
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"code":"not_found","message":"no API route `+jsonEscape(r.URL.Path)+`; see docs/api.md"}}`+"\n")
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(root, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					h.Set("Cache-Control", "no-cache")
				}
				files.ServeHTTP(w, r)
				return
			}
			if strings.HasPrefix(name, "assets/") || staticExt[path.Ext(name)] {
				http.NotFound(w, r) // a missing file, not an app route (which may hold dots: /profiles/email:pia@nto.example)
				return
			}
		}
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "index.html", started, bytes.NewReader(index))
	})
}

// jsonEscape quotes s for a JSON string body (without the quotes).
func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
