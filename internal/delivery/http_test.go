package delivery

import (
	"bytes"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// emailLinks is what a delivered email carries back to Cairn.
type emailLinks struct {
	pixel, click, unsubscribe string // paths on the public URL
	unsubscribePost           string // the List-Unsubscribe-Post header
}

// linksOf reads the tracking pixel, the wrapped link and List-Unsubscribe
// of a delivered message, as paths relative to the public URL.
func linksOf(tb testing.TB, public string, data []byte) emailLinks {
	tb.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	require.NoError(tb, err)
	var out emailLinks
	lu := strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
	require.True(tb, strings.HasPrefix(lu, public+"/unsubscribe/"), "List-Unsubscribe %q", lu)
	out.unsubscribe, out.unsubscribePost = strings.TrimPrefix(lu, public), msg.Header.Get("List-Unsubscribe-Post")
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(tb, err)
	require.Equal(tb, "multipart/alternative", mediaType)
	var htmlPart string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(tb, err)
		b, err := io.ReadAll(p) // quoted-printable is decoded by the reader
		require.NoError(tb, err)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			htmlPart = string(b)
		}
	}
	pixel := regexp.MustCompile(`<img src="([^"]+)"`).FindStringSubmatch(htmlPart)
	require.NotNil(tb, pixel, "no open pixel in %s", htmlPart)
	link := regexp.MustCompile(`<a href="([^"]+)"`).FindStringSubmatch(htmlPart)
	require.NotNil(tb, link, "no link in %s", htmlPart)
	out.pixel = strings.TrimPrefix(html.UnescapeString(pixel[1]), public)
	out.click = strings.TrimPrefix(html.UnescapeString(link[1]), public)
	require.True(tb, strings.HasPrefix(out.pixel, "/t/o/"), out.pixel)
	require.True(tb, strings.HasPrefix(out.click, "/t/c/"), out.click)
	return out
}

// TestTrackingAndUnsubscribeHTTP delivers a real email, then follows what
// it carries through the public handlers, in order.
func TestTrackingAndUnsubscribeHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	smtp := e.smtpChannel()
	e.profile("p1", map[string]any{"email": "ada@example.com", "first_name": "Ada"})
	e.queue("k1", "p1", nil)
	require.Equal(t, 1, e.round())
	require.Equal(t, store.SendSent, e.send("k1").Status)
	msgs := smtp.Messages()
	require.Len(t, msgs, 1)
	links := linksOf(t, e.cfg.PublicURL, msgs[0].Data)
	require.Equal(t, "List-Unsubscribe=One-Click", links.unsubscribePost)

	mux := http.NewServeMux()
	e.d.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	dest := "https://shop.example.com/sale?a=1&b=2"
	tampered := strings.Replace(links.click, url.QueryEscape(dest), url.QueryEscape("https://evil.example.com/"), 1)
	require.NotEqual(t, links.click, tampered)
	badUnsub := policy.UnsubscribeToken([]byte("another secret"), policy.UnsubClaims{ProfileID: "p1", Channel: "email", Key: "k1"})
	steps := []struct {
		name         string
		method, path string
		wantStatus   int
		wantType     string
		wantLocation string
		wantBody     string
		wantEvent    string // appended by this step
		wantEngaged  string // engagement type recorded by this step
	}{
		{name: "open pixel", method: http.MethodGet, path: links.pixel, wantStatus: http.StatusOK, wantType: "image/gif",
			wantBody: string(pixel), wantEvent: journey.EventMessageOpened, wantEngaged: "opened"},
		{name: "a forged open still gets a pixel but records nothing", method: http.MethodGet, path: "/t/o/k1.forged",
			wantStatus: http.StatusOK, wantType: "image/gif"},
		{name: "click with a tampered destination", method: http.MethodGet, path: tampered, wantStatus: http.StatusBadRequest},
		{name: "click without a destination", method: http.MethodGet, path: strings.Split(links.click, "?")[0], wantStatus: http.StatusBadRequest},
		{name: "a signed link to a non-http destination", method: http.MethodGet,
			path: "/t/c/" + e.d.ClickToken("k1", "javascript:alert(1)") + "?u=" + url.QueryEscape("javascript:alert(1)"), wantStatus: http.StatusBadRequest},
		{name: "valid click", method: http.MethodGet, path: links.click, wantStatus: http.StatusFound, wantLocation: dest,
			wantEvent: journey.EventMessageClicked, wantEngaged: "clicked"},
		{name: "unsubscribe page with a forged token", method: http.MethodGet, path: "/unsubscribe/" + badUnsub, wantStatus: http.StatusBadRequest},
		{name: "unsubscribe GET only asks", method: http.MethodGet, path: links.unsubscribe, wantStatus: http.StatusOK,
			wantType: "text/html; charset=utf-8", wantBody: `<form method="post">`},
		{name: "unsubscribe POST with a forged token", method: http.MethodPost, path: "/unsubscribe/" + badUnsub, wantStatus: http.StatusBadRequest},
		{name: "one-click unsubscribe POST", method: http.MethodPost, path: links.unsubscribe, wantStatus: http.StatusOK,
			wantType: "text/html; charset=utf-8", wantBody: "You are unsubscribed", wantEvent: "Unsubscribed", wantEngaged: "unsubscribed"},
	}
	for _, st := range steps {
		e.clk.Advance(time.Second) // engagements list by time
		before, engagedBefore := len(e.events()), e.engagements("k1")
		var body io.Reader
		if st.method == http.MethodPost {
			body = strings.NewReader("List-Unsubscribe=One-Click")
		}
		req, err := http.NewRequestWithContext(t.Context(), st.method, srv.URL+st.path, body)
		require.NoError(t, err, st.name)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		require.NoError(t, err, st.name)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, st.wantStatus, resp.StatusCode, "%s: %s", st.name, got)
		require.Equal(t, st.wantLocation, resp.Header.Get("Location"), st.name)
		if st.wantType != "" {
			require.Equal(t, st.wantType, resp.Header.Get("Content-Type"), st.name)
		}
		require.Contains(t, string(got), st.wantBody, st.name)

		if st.method == http.MethodGet && strings.HasPrefix(st.path, "/unsubscribe/") {
			subs, err := e.st.Subscriptions(t.Context(), "p1")
			require.NoError(t, err)
			require.Empty(t, subs, "%s: a GET never unsubscribes", st.name)
		}
		evs := e.events()[before:]
		engaged := e.engagements("k1")[len(engagedBefore):]
		if st.wantEvent == "" {
			require.Empty(t, evs, st.name)
			require.Empty(t, engaged, st.name)
			continue
		}
		require.Len(t, evs, 1, st.name)
		ev := evs[0]
		require.Equal(t, st.wantEvent, ev.Name, st.name)
		require.Equal(t, testSource, ev.Source)
		require.Equal(t, "p1", ev.Props["profile_id"])
		require.Equal(t, "k1", ev.Props["send_key"])
		require.Len(t, engaged, 1, st.name)
		require.Equal(t, st.wantEngaged, engaged[0].Type)
		if st.wantEvent == "Unsubscribed" {
			require.Equal(t, AllGroup("email"), ev.Props["subscription_group"])
			require.Equal(t, "link", ev.Props["source"])
			continue
		}
		for k, v := range map[string]any{"channel": "email", "journey_id": "welcome", "instance_id": "inst-k1", "node_id": "email_1"} {
			require.Equal(t, v, ev.Props[k], "%s: %s", st.name, k)
		}
		if st.wantEvent == journey.EventMessageClicked {
			require.Equal(t, dest, ev.Props["url"])
			require.Equal(t, dest, engaged[0].Data)
		}
	}

	subs, err := e.st.Subscriptions(t.Context(), "p1")
	require.NoError(t, err)
	require.Len(t, subs, 1)
	require.Equal(t, AllGroup("email"), subs[0].GroupID)
	require.Equal(t, "unsubscribed", subs[0].State)

	// The next marketing email is skipped; a receipt still goes out.
	e.queue("k2", "p1", func(s *store.Send, _ *journey.SendPayload) { s.InstanceID = "inst-k2" })
	e.queue("k3", "p1", func(s *store.Send, _ *journey.SendPayload) { s.TemplateID = "receipt" })
	require.Equal(t, 2, e.round())
	require.Equal(t, SkipConsent, e.send("k2").Reason)
	require.Equal(t, store.SendSent, e.send("k3").Status)
	msgs = smtp.Messages()
	require.Len(t, msgs, 2)
	require.Empty(t, msgs[1].Header.Get("List-Unsubscribe"), "transactional mail has no unsubscribe link")
}

func (e *env) engagements(key string) []store.Engagement {
	e.tb.Helper()
	out, err := e.st.Engagements(e.tb.Context(), key)
	require.NoError(e.tb, err)
	return out
}

// TestUnsubscribeFromGroup: a link of a grouped send unsubscribes from
// that group only.
func TestUnsubscribeFromGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mail := e.fake("email", "email")
	e.config("subscription_group", "updates", `{"id":"updates","name":"Updates","channel":"email","type":"opt_out"}`)
	e.profile("p1", map[string]any{"email": "ada@example.com"})
	e.queue("k1", "p1", func(_ *store.Send, p *journey.SendPayload) { p.Group = "updates" })
	require.Equal(t, 1, e.round())
	m := mail.messages()
	require.Len(t, m, 1)
	tok := strings.TrimPrefix(m[0].UnsubscribeURL, e.cfg.PublicURL+"/unsubscribe/")
	c, err := policy.ParseUnsubscribeToken([]byte(testSecret), tok)
	require.NoError(t, err)
	require.Equal(t, policy.UnsubClaims{ProfileID: "p1", GroupID: "updates", Channel: "email", Key: "k1"}, c)

	mux := http.NewServeMux()
	e.d.Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/unsubscribe/"+tok, nil))
	require.Equal(t, http.StatusOK, rec.Code)

	e.queue("k2", "p1", func(_ *store.Send, p *journey.SendPayload) { p.Group = "updates" })
	e.queue("k3", "p1", nil) // no group: still allowed
	require.Equal(t, 2, e.round())
	require.Equal(t, SkipConsent, e.send("k2").Reason)
	require.Equal(t, store.SendSent, e.send("k3").Status)
}

// TestLinksOfErasedSends: links keep working after their send was erased:
// the unsubscribe still counts, the open records nothing.
func TestLinksOfErasedSends(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.profile("p1", nil)
	mux := http.NewServeMux()
	e.d.Register(mux)
	serve := func(method, path string) int {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), method, path, nil))
		return rec.Code
	}
	require.Equal(t, http.StatusOK, serve(http.MethodGet, "/t/o/"+e.d.OpenToken("erased")))
	require.Empty(t, e.events())

	tok := policy.UnsubscribeToken([]byte(testSecret), policy.UnsubClaims{ProfileID: "p1", Channel: "sms", Key: "erased"})
	require.Equal(t, http.StatusOK, serve(http.MethodPost, "/unsubscribe/"+tok))
	subs, err := e.st.Subscriptions(t.Context(), "p1")
	require.NoError(t, err)
	require.Len(t, subs, 1)
	require.Equal(t, AllGroup("sms"), subs[0].GroupID)
	evs := e.events()
	require.Len(t, evs, 1)
	require.Equal(t, "Unsubscribed", evs[0].Name)
}
