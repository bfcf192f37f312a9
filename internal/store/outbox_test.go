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
		{"none", []*event.Event{}},
		{"a body kept byte for byte", []*event.Event{outboxEv("m1", `{"event":"Segment Entered","properties":{"segment_id":"seg_a"}}`)}},
		{"escapes and non-ASCII text", []*event.Event{
			outboxEv("m\"2\\", "{\"note\":\"caf\u00e9 \\u00e9 \\\"q\\\"\"}\n\t\x01"),
			outboxEv("m3", ``),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := EncodeOutbox(tc.evs)
			require.NoError(t, err)
			require.True(t, json.Valid(data), "%s", data)
			got, err := DecodeOutbox(data)
			require.NoError(t, err)
			require.Len(t, got, len(tc.evs))
			for i, e := range tc.evs {
				want := *e
				if len(want.Raw) == 0 {
					want.Raw = json.RawMessage{}
				}
				require.Equal(t, &want, got[i])
			}
		})
	}
}

func TestOutboxRefusesWhatItCannotKeep(t *testing.T) {
	_, err := EncodeOutbox([]*event.Event{outboxEv("m1", "\xff\xfe")})
	require.ErrorContains(t, err, "not UTF-8")
	_, err = DecodeOutbox([]byte(`[{"source_id":"","message_id":"m"}]`))
	require.ErrorContains(t, err, "no source id")
	_, err = DecodeOutbox([]byte(`[{"source_id":"s"`))
	require.Error(t, err)
}

// FuzzOutbox checks that any event EncodeOutbox accepts decodes to itself,
// and that DecodeOutbox never panics on what it is given.
func FuzzOutbox(f *testing.F) {
	f.Add("src", "m1", "Segment Entered", `{"a":"b"}`, int64(1_700_000_000_000_000))
	f.Add("s\"", "\\m", "\x00", "\u2028 caf\u00e9", int64(-1))
	f.Fuzz(func(t *testing.T, src, msg, name, raw string, micros int64) {
		_, _ = DecodeOutbox([]byte(raw))
		if src == "" || msg == "" {
			return
		}
		at := time.UnixMicro(micros).UTC()
		e := &event.Event{SourceID: src, MessageID: msg, Channel: "server", Type: event.Track, Name: name, Timestamp: at, ReceivedAt: at, Raw: json.RawMessage(raw)}
		data, err := EncodeOutbox([]*event.Event{e})
		if err != nil {
			return // not UTF-8
		}
		got, err := DecodeOutbox(data)
		if err != nil {
			t.Fatalf("decode %q: %v", data, err)
		}
		if len(got) != 1 || got[0].SourceID != src || got[0].MessageID != msg || got[0].Name != name ||
			string(got[0].Raw) != raw || !got[0].Timestamp.Equal(at) || !got[0].ReceivedAt.Equal(at) {
			t.Fatalf("round trip of %q changed it: %+v", data, got)
		}
	})
}
