package pipeline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/stretchr/testify/require"
)

// envelopeOf is a body as outgoing.add writes it.
func envelopeOf(t testing.TB, name string, props any) []byte {
	t.Helper()
	env := envelope{Event: name, MessageID: "seg_1", Properties: props, ReceivedAt: t0, Timestamp: t0, Type: "track"}
	env.Context.Library.Name = "cairn"
	raw, err := json.Marshal(env)
	require.NoError(t, err)
	return raw
}

func TestInternalProfile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, raw, want string
		fast            bool // read without decoding
	}{
		{name: "segment envelope", raw: string(envelopeOf(t, EventSegmentEntered, internalProps{ProfileID: "p_abc", SegmentID: "vip", At: t0})), want: "p_abc", fast: true},
		{name: "stage envelope", raw: string(envelopeOf(t, EventStageChanged, stageProps{ProfileID: "p_st", From: "a", To: "b", At: t0})), want: "p_st", fast: true},
		{name: "map props, profile_id not first", raw: string(envelopeOf(t, "Journey Entered", map[string]any{"journey_id": "j", "profile_id": "p_map"})), want: "p_map"},
		{name: "escaped id", raw: `{"properties":{"profile_id":"p_\u0061"}}`, want: "p_a"},
		{name: "nested properties first", raw: `{"context":{"x":{"properties":{"profile_id":"wrong"}}},"properties":{"profile_id":"right"}}`, want: "right"},
		{name: "brace in a string", raw: `{"a":{"b":"}","properties":{"profile_id":"inner"}},"properties":{"profile_id":"top"}}`, want: "top"},
		{name: "no profile", raw: `{"properties":{"segment_id":"s"}}`},
		{name: "not JSON", raw: `{"properties":{"profile_id":1`},
		{name: "empty id", raw: `{"properties":{"profile_id":""}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &event.Event{MessageID: "m", Raw: []byte(tc.raw), Timestamp: time.Time{}}
			got, err := internalProfile(e)
			if tc.want == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			_, fast := leadingProfileID(e.Raw)
			require.Equal(t, tc.fast, fast, "fast path")
		})
	}
}

// FuzzInternalProfile checks the fast path against a full decode: on a
// body that decodes it may decline, never read a different id.
func FuzzInternalProfile(f *testing.F) {
	f.Add(envelopeOf(f, EventSegmentEntered, internalProps{ProfileID: "p_abc", SegmentID: "vip", At: t0}))
	f.Add([]byte(`{"properties":{"profile_id":"a\"b"}}`))
	f.Add([]byte(`{"a":"{","properties":{"profile_id":"x"}}`))
	f.Add([]byte(`{"a":{"b":"}","properties":{"profile_id":"x"}},"properties":{"profile_id":"y"}}`))
	f.Add([]byte(`{"a":{"properties":{"profile_id":"x"}},"properties":{"profile_id":"y"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		id, ok := leadingProfileID(raw)
		if !ok {
			return
		}
		var body struct {
			Properties struct {
				ProfileID string `json:"profile_id"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			return // not JSON: the log holds none (ingest parses every body)
		}
		if body.Properties.ProfileID != id {
			t.Fatalf("fast path read %q, the decoder %q, from %s", id, body.Properties.ProfileID, raw)
		}
	})
}

func BenchmarkInternalProfile(b *testing.B) {
	raw := envelopeOf(b, EventSegmentEntered, internalProps{ProfileID: "p_abcdefghijklmnopqrstu", SegmentID: "s042", Version: 3, Reason: "event", At: t0})
	e := &event.Event{MessageID: "m", Raw: raw}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if _, err := internalProfile(e); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			var body struct {
				Properties struct {
					ProfileID string `json:"profile_id"`
				} `json:"properties"`
			}
			if err := json.Unmarshal(e.Raw, &body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
