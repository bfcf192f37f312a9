package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

// t0 is the harness clock's start.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// harness is the management API on a real SQLite state store in a temp
// dir, with recording fakes for the journey engine and messaging.
type harness struct {
	srv *httptest.Server
	st  *sqlite.State
	clk *clock.Manual
	j   *fakeJourneys
	m   *fakeMessaging
}

type harnessOpts struct {
	noEngine, noMessaging bool
}

func newHarness(t testing.TB, o harnessOpts) *harness {
	t.Helper()
	st, err := sqlite.OpenState(t.Context(), filepath.Join(t.TempDir(), "state.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	h := &harness{st: st, clk: clock.NewManual(t0)}
	d := Deps{State: st, Clock: h.clk, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler),
		NewID:     func(p string) string { return p + "_1" },
		Normalize: func(typ, v string) (string, bool) { return strings.ToLower(strings.TrimSpace(v)), typ == "email" }}
	if !o.noEngine {
		h.j = &fakeJourneys{st: st, refs: defaultRefs()}
		d.Journeys = h.j
	}
	if !o.noMessaging {
		h.m = &fakeMessaging{st: st, clk: h.clk}
		d.Messaging = h.m
	}
	mux := http.NewServeMux()
	New(d).Register(mux)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// do sends one admin request and returns the status and body.
func (h *harness) do(t testing.TB, method, path, body string) (int, string) {
	t.Helper()
	return h.doWith(t, method, path, body, nil)
}

// doWith is do with extra request headers.
func (h *harness) doWith(t testing.TB, method, path, body string, hdr map[string]string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, h.srv.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// scenario is one API call of a scenario table: the request, the status,
// substrings the body must and must not contain, and an optional check.
type scenario struct {
	name         string
	method, path string
	body         string
	status       int
	want         []string
	not          []string
	check        func(t *testing.T, body string)
}

// run plays scenarios in order (they build on each other's state).
func (h *harness) run(t *testing.T, scs []scenario) {
	t.Helper()
	for _, sc := range scs {
		ok := t.Run(sc.name, func(t *testing.T) {
			status, body := h.do(t, sc.method, sc.path, sc.body)
			require.Equal(t, sc.status, status, body)
			for _, w := range sc.want {
				require.Contains(t, body, w)
			}
			for _, n := range sc.not {
				require.NotContains(t, body, n)
			}
			if sc.check != nil {
				sc.check(t, body)
			}
		})
		if !ok {
			t.FailNow() // later scenarios depend on this one
		}
	}
}

// seedProfile creates a profile with an email identity.
func (h *harness) seedProfile(t testing.TB, id, email string) {
	t.Helper()
	cp, err := h.st.Checkpoint(t.Context())
	require.NoError(t, err)
	require.NoError(t, h.st.Apply(t.Context(), &store.ProcessBatch{Checkpoint: cp + 1,
		Profiles:   []store.Profile{{ID: id, FirstSeen: t0, LastSeen: t0, Sources: []string{}, Channels: []string{}}},
		Identities: []store.Identity{{IdentityKey: store.IdentityKey{Type: "email", Value: email}, ProfileID: id, FirstSeen: t0, LastSeen: t0}},
	}))
}

func (h *harness) apply(t testing.TB, b *store.ProcessBatch) {
	t.Helper()
	cp, err := h.st.Checkpoint(t.Context())
	require.NoError(t, err)
	b.Checkpoint = cp + 1
	require.NoError(t, h.st.Apply(t.Context(), b))
}

// fakeRefs is what exists, for journey validation.
type fakeRefs struct {
	segments, groups, journeys map[string]bool
	channels                   map[string]string // id → kind
	templates                  map[string]string // id → channel kind
}

func defaultRefs() fakeRefs {
	return fakeRefs{
		segments: map[string]bool{"vip": true}, channels: map[string]string{"email": "email", "sms": "sms"},
		groups: map[string]bool{"news": true}, journeys: map[string]bool{"welcome": true},
		templates: map[string]string{"welcome-email": "email", "tip-email": "email"},
	}
}

func (r fakeRefs) SegmentExists(id string) bool { return r.segments[id] }
func (r fakeRefs) TemplateChannel(id string) (string, bool) {
	ch, ok := r.templates[id]
	return ch, ok
}
func (r fakeRefs) ChannelKind(ch string) (string, bool) {
	k, ok := r.channels[ch]
	return k, ok
}
func (r fakeRefs) GroupExists(id string) bool   { return r.groups[id] }
func (r fakeRefs) JourneyExists(id string) bool { return r.journeys[id] }

var _ journey.Refs = fakeRefs{}

// fakeJourneys records the engine calls the API makes.
type fakeJourneys struct {
	st   store.State
	refs fakeRefs

	mu        sync.Mutex
	calls     []string
	stopSeen  string // the journey's stored status when Stop was called
	props     map[string]any
	enterID   string // "" refuses (re-entry policy)
	enterErr  error
	reloadErr error
}

func (f *fakeJourneys) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// Calls returns the recorded calls.
func (f *fakeJourneys) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeJourneys) Reload(context.Context) error {
	f.record("reload")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reloadErr
}

func (f *fakeJourneys) Stop(ctx context.Context, id string) error {
	j, err := f.st.GetJourney(ctx, id)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.stopSeen = j.Status
	f.mu.Unlock()
	f.record("stop " + id)
	return nil
}

func (f *fakeJourneys) Enter(_ context.Context, id, profileID string, props map[string]any) (string, error) {
	f.record("enter " + id + " " + profileID)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.props = props
	return f.enterID, f.enterErr
}

func (f *fakeJourneys) Refs(context.Context) (journey.Refs, error) { return f.refs, nil }

func (f *fakeJourneys) Migrate(_ context.Context, id string, nodes map[string]string) (int, error) {
	f.record("migrate " + id)
	return len(nodes), nil
}

var _ Journeys = (*fakeJourneys)(nil)

// fakeMessaging validates, previews and sends the way the app's messaging
// does at the interface: canonical bodies, ErrInvalidInput for the
// request's faults, sends written to the store.
type fakeMessaging struct {
	st  store.State
	clk clock.Clock

	mu        sync.Mutex
	validated []string // kinds
	sends     []TransactionalSend
}

func (m *fakeMessaging) ValidateConfig(kind string, body json.RawMessage) (json.RawMessage, error) {
	m.mu.Lock()
	m.validated = append(m.validated, kind)
	m.mu.Unlock()
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, err
	}
	if _, bad := obj["bad"]; bad {
		return nil, errors.New("field bad is not allowed")
	}
	if _, ok := obj["provider"]; kind == ConfigChannel && !ok {
		return nil, errors.New("a channel needs a provider")
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, err
	}
	return json.RawMessage(strings.TrimSpace(b.String())), nil
}

func (m *fakeMessaging) Preview(ctx context.Context, templateID string, inline json.RawMessage, profileID string, data map[string]any) (any, error) {
	body := inline
	if templateID != "" {
		o, err := m.st.GetConfig(ctx, ConfigTemplate, templateID)
		if err != nil {
			return nil, fmt.Errorf("load template %s: %w", templateID, err)
		}
		body = o.Body
	}
	var tmpl struct {
		Subject string `json:"subject"`
	}
	if err := json.Unmarshal(body, &tmpl); err != nil {
		return nil, fmt.Errorf("%w: template: %v", ErrInvalidInput, err)
	}
	if strings.Count(tmpl.Subject, "{{") != strings.Count(tmpl.Subject, "}}") {
		return nil, fmt.Errorf("%w: subject: tag not closed", ErrInvalidInput)
	}
	name, _ := data["name"].(string)
	return map[string]any{"subject": strings.ReplaceAll(tmpl.Subject, "{{name}}", name), "profile_id": profileID}, nil
}

func (m *fakeMessaging) Send(ctx context.Context, req TransactionalSend) (store.Send, error) {
	if req.Template == "broken" {
		return store.Send{}, fmt.Errorf("%w: template broken does not render", ErrInvalidInput)
	}
	m.mu.Lock()
	m.sends = append(m.sends, req)
	m.mu.Unlock()
	now := m.clk.Now()
	sd := store.Send{Key: "tx_" + req.Key, ProfileID: req.Profile, Channel: "email", TemplateID: req.Template,
		Status: store.SendQueued, DueAt: now, CreatedAt: now, UpdatedAt: now}
	if err := m.st.InsertSend(ctx, sd); err != nil {
		return store.Send{}, err
	}
	return sd, nil
}

// Sends returns the recorded sends.
func (m *fakeMessaging) Sends() []TransactionalSend {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]TransactionalSend(nil), m.sends...)
}

var _ Messaging = (*fakeMessaging)(nil)
