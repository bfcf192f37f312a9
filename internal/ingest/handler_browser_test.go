package ingest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCORSAndBrowserSettings(t *testing.T) {
	t.Parallel()
	origin := "https://shop.nto.example"
	wantSettings := func(host, protocol string) string {
		return `{"integrations":{"Segment.io":{"apiKey":"WEB_WK","apiHost":"` + host + `/v1","protocol":"` + protocol + `",` +
			`"unbundledIntegrations":[],"addBundledMetadata":true,"maybeBundledConfigIds":{}}},` +
			`"plan":{},"enabledMiddleware":{},"middlewareSettings":{},"metrics":{"sampleRate":0},` +
			`"remotePlugins":[],"edgeFunction":{},"analyticsNextEnabled":true,"legacyVideoPluginsEnabled":false}`
	}
	settingsIs := func(host, protocol string) func(t *testing.T, _ *env, rec *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *env, rec *httptest.ResponseRecorder) {
			require.JSONEq(t, wantSettings(host, protocol), rec.Body.String())
		}
	}
	scenarios := []scenario{
		{
			name: "preflight", method: http.MethodOptions, path: "/v1/batch",
			header: map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, x-retry-count, x-custom"},
			status: 204,
			respHeader: map[string]string{
				"Access-Control-Allow-Origin":  origin,
				"Access-Control-Allow-Methods": "POST, GET, OPTIONS",
				"Access-Control-Allow-Headers": "Authorization, Content-Type, X-Retry-Count, Content-Encoding, x-custom",
				"Access-Control-Max-Age":       "86400",
			},
		},
		{
			name: "preflight of a short path without requested headers", method: http.MethodOptions, path: "/v1/t",
			header: map[string]string{"Origin": origin}, status: 204,
			respHeader: map[string]string{"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Retry-Count, Content-Encoding"},
		},
		{
			name: "preflight does not echo malformed header names", method: http.MethodOptions, path: "/v1/p",
			header: map[string]string{"Origin": origin, "Access-Control-Request-Headers": "ok-header, bad header, ,(x)"}, status: 204,
			respHeader: map[string]string{"Access-Control-Allow-Headers": "Authorization, Content-Type, X-Retry-Count, Content-Encoding, ok-header"},
		},
		{
			name: "POST echoes the origin", path: "/v1/t", header: map[string]string{"Authorization": basic("WEB_WK"), "Origin": origin},
			body: `{"event":"E","anonymousId":"a"}`, status: 200, stored: 1,
			respHeader: map[string]string{"Access-Control-Allow-Origin": origin, "Vary": "Origin", "Access-Control-Allow-Credentials": ""},
		},
		{
			name: "credentials when configured", path: "/v1/t", cfg: Config{AllowCredentials: true},
			header: map[string]string{"Authorization": basic("WEB_WK"), "Origin": origin},
			body:   `{"event":"E","anonymousId":"a"}`, status: 200, stored: 1,
			respHeader: map[string]string{"Access-Control-Allow-Credentials": "true"},
		},
		{
			name: "errors carry CORS headers too", path: "/v1/t", header: map[string]string{"Authorization": basic("NOPE"), "Origin": origin},
			body: `{}`, status: 401, respHeader: map[string]string{"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After"},
		},
		{
			name: "no Origin, no CORS headers", path: "/v1/batch", header: map[string]string{"Authorization": basic("WEB_WK")},
			body: trackBatch, status: 200, stored: 1, respHeader: map[string]string{"Access-Control-Allow-Origin": ""},
		},
		{
			name: "settings over plain HTTP", method: http.MethodGet, path: "http://cdp.example.com:4280/v1/projects/WEB_WK/settings",
			header: map[string]string{"Origin": origin}, status: 200, check: settingsIs("cdp.example.com:4280", "http"),
			respHeader: map[string]string{"Access-Control-Allow-Origin": origin, "Content-Type": "application/json"},
		},
		{
			name: "settings behind a TLS proxy", method: http.MethodGet, path: "http://cdp.example.com/v1/projects/WEB_WK/settings",
			header: map[string]string{"X-Forwarded-Proto": "https"}, status: 200, check: settingsIs("cdp.example.com", "https"),
		},
		{
			name: "settings over TLS", method: http.MethodGet, path: "https://cdp.example.com/v1/projects/WEB_WK/settings",
			status: 200, check: settingsIs("cdp.example.com", "https"),
		},
		{
			name: "settings of an unknown key", method: http.MethodGet, path: "/v1/projects/NOPE/settings",
			header: map[string]string{"Origin": origin}, status: 404, contains: []string{"unknown_write_key"},
			respHeader: map[string]string{"Access-Control-Allow-Origin": origin},
		},
		{
			name: "settings of a revoked key", method: http.MethodGet, path: "/v1/projects/OLD_WK/settings",
			status: 404, contains: []string{"revoked_write_key"},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}
