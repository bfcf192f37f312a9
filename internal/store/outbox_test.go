package store

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

func outboxEv(msg, raw string) *event.Event {
	return &event.Event{SourceID: "src_cairn", MessageID: msg, Channel: "server", Type: event.Track, Name: "Segment Entered",
		Timestamp: time.Date(2026, 11, 26, 9, 0, 0, 123456000, time.UTC), ReceivedAt: time.Date(2026, 11, 26, 9, 0, 1, 0, time.UTC),
		Raw: json.RawMessage(raw)}
}

func TestOutboxRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		evs  []*event.Event
	}{
		{"none", nil},
		{"a body kept byte for byte", []*event.Event{outboxEv("m1", `{"event":"Segment Entered","properties":{"segment_id":"seg_a"}}`)}},
		{"any bytes, empty fields", []*event.Event{
			outboxEv("m\"2\\", "{\"note\":\"caf\u00e9\"}\n\t\x01\xff"),
			{SourceID: "s", MessageID: "m3", Raw: json.RawMessage{}, Timestamp: time.UnixMicro(0).UTC(), ReceivedAt: time.UnixMicro(-5).UTC()},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeOutbox(EncodeOutbox(tc.evs))
			require.NoError(t, err)
			require.Len(t, got, len(tc.evs))
			for i, e := range tc.evs {
				require.Equal(t, e, got[i])
			}
		})
	}
}

// TestOutboxReadsTheMigrationsForm: the JSON array the migrations build
// from the old one-row-per-event outbox.
func TestOutboxReadsTheMigrationsForm(t *testing.T) {
	got, err := DecodeOutbox([]byte(`[{"source_id":"src_cairn","message_id":"m1","channel":"server","type":"track",` +
		`"name":"Segment Entered","timestamp":1795683600123456,"received_at":1795683601000000,"raw":"{\"a\":\"caf\u00e9\"}"}]`))
	require.NoError(t, err)
	require.Equal(t, []*event.Event{outboxEv("m1", `{"a":"café"}`)}, got)
}

func TestOutboxRefusesWhatItCannotRead(t *testing.T) {
	for _, tc := range []struct {
		name, data, err string
	}{
		{"empty", "", "unknown form"},
		{"another form", "\x02abc", "unknown form"},
		{"truncated", string(EncodeOutbox([]*event.Event{outboxEv("m1", `{}`)})[:20]), "truncated"},
		{"a length past the end", "\x01\xff\xff\x03", "truncated"},
		{"no source id", string(EncodeOutbox([]*event.Event{{MessageID: "m"}})), "no source id"},
		{"JSON without ids", `[{"source_id":"","message_id":"m"}]`, "no source id"},
		{"broken JSON", `[{"source_id":"s"`, "decode outbox batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeOutbox([]byte(tc.data))
			require.ErrorContains(t, err, tc.err)
		})
	}
}

// FuzzOutbox checks that any event decodes to itself after EncodeOutbox,
// and that DecodeOutbox never panics on what it is given.
func FuzzOutbox(f *testing.F) {
	f.Add("src", "m1", "Segment Entered", []byte(`{"a":"b"}`), int64(1_700_000_000_000_000))
	f.Add("s\"", "\\m", "\x00", []byte("\x01\xff\xfe"), int64(-1))
	f.Add("s", "m", "", []byte(`[{"source_id":"s","message_id":"m"}]`), int64(0))
	f.Fuzz(func(t *testing.T, src, msg, name string, raw []byte, micros int64) {
		_, _ = DecodeOutbox(raw)
		if src == "" || msg == "" {
			return
		}
		at := time.UnixMicro(micros).UTC()
		e := &event.Event{SourceID: src, MessageID: msg, Channel: "server", Type: event.Track, Name: name, Timestamp: at, ReceivedAt: at, Raw: json.RawMessage(raw)}
		got, err := DecodeOutbox(EncodeOutbox([]*event.Event{e, e}))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if len(got) != 2 || got[1].SourceID != src || got[1].MessageID != msg || got[1].Name != name ||
			string(got[1].Raw) != string(raw) || !got[1].Timestamp.Equal(at) || !got[1].ReceivedAt.Equal(at) {
			t.Fatalf("round trip changed it: %+v", got)
		}
	})
}
