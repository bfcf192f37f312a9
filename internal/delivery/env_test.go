package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/cairn-cdp/cairn/internal/template"
)

// t0 is Tuesday 2026-03-10 03:00 UTC: 23:00 the evening before in New
// York (EDT since March 8), 04:00 in Berlin (CET), 14:00 in Sydney (AEDT),
// 08:30 in Kolkata.
var t0 = time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)

const (
	testSource = "cairn"
	testSecret = "s3cret-for-links"
)

// Templates every env knows.
var baseTemplates = []string{
	`{"id":"welcome","name":"Welcome","channel":"email",
	  "subject":"Welcome {{ profile.first_name | default: \"friend\" }}",
	  "html":"<html><body><p>Hi {{ profile.first_name | default: \"there\" }}</p><a href=\"https://shop.example.com/sale?a=1&amp;b=2\">Sale</a></body></html>",
	  "text":"Hi, see https://shop.example.com/sale"}`,
	`{"id":"strict","name":"Strict","channel":"email","subject":"Hello {{ profile.first_name }}","text":"Hi {{ profile.first_name }}"}`,
	`{"id":"receipt","name":"Receipt","channel":"email","transactional":true,"subject":"Your receipt","text":"Order {{ entry.order_id | default: \"?\" }}"}`,
	`{"id":"sms_hello","name":"SMS","channel":"sms","body":"Hi {{ profile.first_name | default: \"there\" }}, 20% off today"}`,
	`{"id":"hook","name":"Hook","channel":"webhook","body":"{\"profile_id\":\"{{ profile.id }}\",\"key\":\"{{ message.key }}\"}"}`,
}

// env is a dispatcher over a real SQLite store and log, with a manual clock.
type env struct {
	tb   testing.TB
	log  *sqlite.Log
	st   *sqlite.State
	clk  *clock.Manual
	reg  *prometheus.Registry
	tpls *testTemplates
	snd  *testSenders
	cfg  Config
	d    *Dispatcher
	cp   int64
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvAt(tb, t0)
}

// newEnvAt is newEnv with the clock at start.
func newEnvAt(tb testing.TB, start time.Time) *env {
	tb.Helper()
	ctx := tb.Context()
	lg, st, err := sqlite.Open(ctx, tb.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(tb, err)
	tb.Cleanup(func() {
		require.NoError(tb, st.Close())
		require.NoError(tb, lg.Close())
	})
	e := &env{tb: tb, log: lg, st: st, clk: clock.NewManual(start),
		tpls: &testTemplates{m: map[string]*template.Compiled{}}, snd: &testSenders{m: map[string]senderEntry{}},
		cfg: Config{InternalSource: testSource, PublicURL: "https://cairn.example.com", Secret: []byte(testSecret)}}
	for _, body := range baseTemplates {
		e.template(body)
	}
	e.d = e.dispatcher(st)
	return e
}

// dispatcher builds a dispatcher over st (a fresh process after a crash),
// with its own metrics registry.
func (e *env) dispatcher(st Store) *Dispatcher {
	e.reg = prometheus.NewRegistry()
	return New(e.cfg, st, e.log, e.tpls, e.snd, e.clk, slog.New(slog.DiscardHandler), e.reg)
}

// template compiles and registers a template given as JSON.
func (e *env) template(body string) {
	e.tb.Helper()
	tpl, err := template.Parse([]byte(body))
	require.NoError(e.tb, err)
	c, err := template.Compile(tpl)
	require.NoError(e.tb, err)
	e.tpls.mu.Lock()
	defer e.tpls.mu.Unlock()
	e.tpls.m[tpl.ID] = c
}

// channel registers the adapter of channel id.
func (e *env) channel(id string, kind channel.Kind, s channel.Sender) {
	e.snd.mu.Lock()
	defer e.snd.mu.Unlock()
	e.snd.m[id] = senderEntry{s: s, kind: kind}
}

// fake registers a fake adapter for id and returns it.
func (e *env) fake(id string, kind channel.Kind) *fakeSender {
	f := &fakeSender{}
	e.channel(id, kind, f)
	return f
}

// profile writes a profile with traits (dotted paths) through Apply.
func (e *env) profile(id string, traits map[string]any, idents ...store.IdentityKey) {
	e.tb.Helper()
	e.cp++
	now := e.clk.Now()
	b := &store.ProcessBatch{Checkpoint: e.cp, Profiles: []store.Profile{{ID: id, FirstSeen: now, LastSeen: now, EventCount: 1}}}
	for path, v := range traits {
		raw, err := json.Marshal(v)
		require.NoError(e.tb, err)
		b.Traits = append(b.Traits, store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: path, Value: raw, Time: now, SourceID: "web"}})
	}
	for _, k := range idents {
		b.Identities = append(b.Identities, store.Identity{IdentityKey: k, ProfileID: id, FirstSeen: now, LastSeen: now})
	}
	require.NoError(e.tb, e.st.Apply(e.tb.Context(), b))
}

// config stores a config object.
func (e *env) config(kind, id, body string) {
	e.tb.Helper()
	require.NoError(e.tb, e.st.PutConfig(e.tb.Context(), store.ConfigObject{Kind: kind, ID: id, Body: json.RawMessage(body), UpdatedAt: e.clk.Now()}))
}

// queue inserts a queued email send of the welcome journey, due now;
// edit changes it (and its payload) before the insert.
func (e *env) queue(key, profileID string, edit func(*store.Send, *journey.SendPayload)) store.Send {
	e.tb.Helper()
	now := e.clk.Now()
	s := store.Send{Key: key, JourneyID: "welcome", Version: 1, InstanceID: "inst-" + key, NodeID: "email_1",
		ProfileID: profileID, Channel: "email", TemplateID: "welcome", Status: store.SendQueued,
		DueAt: now, CreatedAt: now, UpdatedAt: now}
	p := journey.SendPayload{JourneyName: "Welcome", Template: "welcome", Retries: journey.DefaultRetries}
	if edit != nil {
		edit(&s, &p)
	}
	if s.Payload == nil { // edit may set a payload of its own
		raw, err := json.Marshal(p)
		require.NoError(e.tb, err)
		s.Payload = raw
	}
	require.NoError(e.tb, e.st.InsertSend(e.tb.Context(), s))
	return s
}

// round runs one dispatcher round and returns how many sends it handled.
func (e *env) round() int {
	e.tb.Helper()
	n, err := e.d.Round(e.tb.Context())
	require.NoError(e.tb, err)
	return n
}

func (e *env) send(key string) store.Send {
	e.tb.Helper()
	s, err := e.st.GetSend(e.tb.Context(), key)
	require.NoError(e.tb, err)
	return s
}

// logged is an event the dispatcher appended, decoded.
type logged struct {
	Name      string
	MessageID string
	Source    string
	Timestamp time.Time
	Props     map[string]any
}

// events reads every event of the log.
func (e *env) events() []logged {
	e.tb.Helper()
	evs, err := e.log.Read(e.tb.Context(), 0, 10000)
	require.NoError(e.tb, err)
	out := make([]logged, 0, len(evs))
	for _, ev := range evs {
		var raw struct {
			Event      string         `json:"event"`
			MessageID  string         `json:"messageId"`
			Properties map[string]any `json:"properties"`
		}
		require.NoError(e.tb, json.Unmarshal(ev.Raw, &raw))
		require.Equal(e.tb, ev.Name, raw.Event)
		require.Equal(e.tb, ev.MessageID, raw.MessageID)
		out = append(out, logged{Name: ev.Name, MessageID: ev.MessageID, Source: ev.SourceID, Timestamp: ev.Timestamp, Props: raw.Properties})
	}
	return out
}

// eventsOf returns the events whose send_key is key.
func (e *env) eventsOf(key string) []logged {
	e.tb.Helper()
	var out []logged
	for _, ev := range e.events() {
		if ev.Props["send_key"] == key {
			out = append(out, ev)
		}
	}
	return out
}

// only returns the single event of send key.
func (e *env) only(key string) logged {
	e.tb.Helper()
	evs := e.eventsOf(key)
	require.Len(e.tb, evs, 1, "events of %s: %+v", key, evs)
	return evs[0]
}

// counter reads a counter of the current dispatcher's registry; 0 when
// no series has exactly labels.
func (e *env) counter(name string, labels map[string]string) float64 {
	e.tb.Helper()
	fams, err := e.reg.Gather()
	require.NoError(e.tb, err)
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// testTemplates serves compiled templates by id.
type testTemplates struct {
	mu sync.Mutex
	m  map[string]*template.Compiled
}

func (t *testTemplates) Compiled(_ context.Context, id string) (*template.Compiled, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.m[id]
	if !ok {
		return nil, fmt.Errorf("template %s: %w", id, store.ErrNotFound)
	}
	return c, nil
}

func (t *testTemplates) Inline(ch, body string) (*template.Compiled, error) {
	return template.Compile(&template.Template{ID: "inline", Name: "inline", Channel: ch, Body: body})
}

type senderEntry struct {
	s    channel.Sender
	kind channel.Kind
}

// testSenders maps channel ids to adapters.
type testSenders struct {
	mu    sync.Mutex
	m     map[string]senderEntry
	rates map[string][2]float64 // channel → (per second, burst)
}

func (s *testSenders) RateLimit(_ context.Context, id string) (float64, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rates[id]
	return r[0], int(r[1])
}

func (s *testSenders) Sender(_ context.Context, id string) (channel.Sender, channel.Kind, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[id]
	if !ok {
		return nil, "", fmt.Errorf("channel %s: %w", id, store.ErrNotFound)
	}
	return c.s, c.kind, nil
}

// fakeSender records messages and returns queued errors first.
type fakeSender struct {
	mu   sync.Mutex
	sent []channel.Message
	errs []error
}

func (f *fakeSender) Send(_ context.Context, m channel.Message) (channel.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return channel.Receipt{}, err
	}
	f.sent = append(f.sent, m)
	return channel.Receipt{ProviderID: fmt.Sprintf("fake-%d", len(f.sent)), Status: "sent"}, nil
}

func (f *fakeSender) messages() []channel.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]channel.Message(nil), f.sent...)
}

// failNext makes the next calls fail with errs, in order.
func (f *fakeSender) failNext(errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, errs...)
}

var (
	_ Templates      = (*testTemplates)(nil)
	_ Senders        = (*testSenders)(nil)
	_ channel.Sender = (*fakeSender)(nil)
)
