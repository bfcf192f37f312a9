package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/store"
)

func TestTemplatePreview(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	h.run(t, []scenario{
		{name: "template", method: "POST", path: "/v1/templates", body: `{"id":"welcome-email","channel":"email","subject":"Hi {{name}}"}`, status: 201},
		{name: "broken template", method: "POST", path: "/v1/templates", body: `{"id":"broken","channel":"email","subject":"Hi {{name"}`, status: 201},
		{name: "preview saved", method: "POST", path: "/v1/templates/welcome-email/preview", body: `{"profile":"email:pia@nto.example","data":{"name":"Pia"}}`, status: 200,
			want: []string{`"subject":"Hi Pia"`, `"profile_id":"prof_pia"`, `"template_id":"welcome-email"`}},
		{name: "preview without a profile", method: "POST", path: "/v1/templates/welcome-email/preview", body: `{"data":{"name":"you"}}`, status: 200,
			want: []string{`"subject":"Hi you"`, `"profile_id":""`}},
		{name: "render error", method: "POST", path: "/v1/templates/broken/preview", body: `{}`, status: 422,
			want: []string{`"code":"render_failed"`, "tag not closed"}},
		{name: "unknown template", method: "POST", path: "/v1/templates/nope/preview", body: `{}`, status: 404},
		{name: "unknown profile", method: "POST", path: "/v1/templates/welcome-email/preview", body: `{"profile":"email:nobody@nto.example"}`, status: 404, want: []string{`"field":"profile"`}},
		{name: "inline body on the saved route", method: "POST", path: "/v1/templates/welcome-email/preview", body: `{"template":{"subject":"x"}}`, status: 400, want: []string{"POST /v1/templates/preview"}},
		{name: "inline", method: "POST", path: "/v1/templates/preview", body: `{"template":{"channel":"email","subject":"Yo {{name}}"},"data":{"name":"Bo"}}`, status: 200,
			want: []string{`"subject":"Yo Bo"`}},
		{name: "inline render error", method: "POST", path: "/v1/templates/preview", body: `{"template":{"subject":"{{"}}`, status: 422, want: []string{`"code":"render_failed"`}},
		{name: "inline without template", method: "POST", path: "/v1/templates/preview", body: `{"data":{}}`, status: 400, want: []string{`"field":"template"`}},
		{name: "inline is not saved", method: "GET", path: "/v1/templates", status: 200, not: []string{"Yo {{name}}"}},
	})
}

func TestTransactionalSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	h.run(t, []scenario{
		{name: "send", method: "POST", path: "/v1/messages",
			body:   `{"template":"receipt","profile":"email: PIA@nto.example","data":{"order":"A-7"},"transactional":true,"idempotency_key":"order-A-7"}`,
			status: 202, want: []string{`"key":"tx_order-A-7"`, `"profile_id":"prof_pia"`, `"status":"queued"`, `"template_id":"receipt"`},
			check: func(t *testing.T, _ string) {
				sends := h.m.Sends()
				require.Len(t, sends, 1)
				require.Equal(t, TransactionalSend{Template: "receipt", Profile: "prof_pia", Data: map[string]any{"order": "A-7"},
					Transactional: true, Key: "order-A-7"}, sends[0], "the profile reference is resolved to the id")
			}},
		{name: "shows on the profile", method: "GET", path: "/v1/profiles/email:pia@nto.example/messages", status: 200, want: []string{`"key":"tx_order-A-7"`}},
		{name: "no template", method: "POST", path: "/v1/messages", body: `{"profile":"prof_pia"}`, status: 400, want: []string{`"field":"template"`}},
		{name: "unknown profile", method: "POST", path: "/v1/messages", body: `{"template":"receipt","profile":"email:nobody@nto.example"}`, status: 404, want: []string{`"field":"profile"`}},
		{name: "unknown field", method: "POST", path: "/v1/messages", body: `{"template":"receipt","profile":"prof_pia","to":"x"}`, status: 400},
		{name: "messaging refuses", method: "POST", path: "/v1/messages", body: `{"template":"broken","profile":"prof_pia"}`, status: 422,
			want: []string{`"code":"validation_error"`, "does not render"}},
	})
	require.Len(t, h.m.Sends(), 1, "refused requests never reach Send")
}

func TestIdempotencyKeyHeader(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.seedProfile(t, "prof_pia", "pia@nto.example")
	req := `{"template":"receipt","profile":"prof_pia"}`
	status, body := h.doWith(t, "POST", "/v1/messages", req, map[string]string{"Idempotency-Key": "hdr-1"})
	require.Equal(t, 202, status, body)
	var sd store.Send
	require.NoError(t, json.Unmarshal([]byte(body), &sd))
	require.Equal(t, "tx_hdr-1", sd.Key)
}

func TestSuppressions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOpts{})
	h.run(t, []scenario{
		{name: "import email", method: "POST", path: "/v1/suppressions",
			body: `{"channel":"Email","addresses":[" Pia@NTO.example ","bo@nto.example","pia@nto.example"],"reason":"complaint"}`, status: 200,
			want: []string{`"added":2`, `"channel":"email"`}},
		{name: "list email", method: "GET", path: "/v1/suppressions?channel=email", status: 200,
			want: []string{`"address":"bo@nto.example"`, `"address":"pia@nto.example"`, `"reason":"complaint"`, `"next_cursor":""`}, not: []string{"Pia@"}},
		{name: "page", method: "GET", path: "/v1/suppressions?channel=email&limit=1", status: 200,
			want: []string{`"address":"bo@nto.example"`, `"next_cursor":"bo@nto.example"`}, not: []string{"pia@"}},
		{name: "next page", method: "GET", path: "/v1/suppressions?channel=email&limit=1&cursor=bo@nto.example", status: 200,
			want: []string{`"address":"pia@nto.example"`}, not: []string{"bo@"}},
		{name: "sms must be E.164", method: "POST", path: "/v1/suppressions",
			body: `{"channel":"sms","addresses":["+14155550123","4155550124","+1 415 555 0125"]}`, status: 400,
			want: []string{`"path":"addresses[1]"`, `"path":"addresses[2]"`, "2 of 3", "nothing was imported"}, not: []string{`"path":"addresses[0]"`}},
		{name: "nothing imported", method: "GET", path: "/v1/suppressions?channel=sms", status: 200, want: []string{`"suppressions":[]`}},
		{name: "sms", method: "POST", path: "/v1/suppressions", body: `{"channel":"sms","addresses":[" +14155550123"]}`, status: 200, want: []string{`"added":1`, `"reason":"import"`}},
		{name: "sms listed", method: "GET", path: "/v1/suppressions?channel=sms", status: 200, want: []string{`"address":"+14155550123"`}},
		{name: "bad email", method: "POST", path: "/v1/suppressions", body: `{"channel":"email","addresses":["not-an-email"]}`, status: 400, want: []string{`"field":"addresses[0]"`}},
		{name: "no addresses", method: "POST", path: "/v1/suppressions", body: `{"channel":"email","addresses":[]}`, status: 400, want: []string{`"field":"addresses"`}},
		{name: "no channel", method: "POST", path: "/v1/suppressions", body: `{"addresses":["a@b.c"]}`, status: 400, want: []string{`"field":"channel"`}},
		{name: "list needs a channel", method: "GET", path: "/v1/suppressions", status: 400, want: []string{`"field":"channel"`}},
		{name: "audit", method: "GET", path: "/v1/audit", status: 200, want: []string{`"action":"suppression.import"`}},
	})
	sup, err := h.st.Suppressed(t.Context(), "email", "pia@nto.example")
	require.NoError(t, err)
	require.Equal(t, "complaint", sup.Reason)
}

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		channel, in, want string
		ok                bool
	}{
		{"email", "  Ada@Example.COM ", "ada@example.com", true},
		{"email", "ada@", "", false},
		{"email", "@example.com", "", false},
		{"email", "a da@example.com", "", false},
		{"sms", "+447700900123", "+447700900123", true},
		{"sms", "+0447700900123", "", false},
		{"sms", "447700900123", "", false},
		{"sms", "+1234567890123456", "", false},
		{"push", " tok-abc ", "tok-abc", true},
		{"push", "  ", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.channel+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := normalizeAddress(tc.channel, tc.in)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
