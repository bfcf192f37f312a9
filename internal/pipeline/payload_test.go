package pipeline

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

// fullContext decodes the whole body's context, as decodePayload did for
// every event before it skipped bodies without identifiers.
func fullContext(t *testing.T, raw []byte) event.Context {
	t.Helper()
	var c contextOnly
	require.NoError(t, json.Unmarshal(raw, &c))
	return c.Context
}

// TestDecodePayloadSkipsBodiesWithoutIdentifiers: the context traits and
// external ids decodePayload returns for a track are those of a full
// decode, whether or not it skipped the body.
func TestDecodePayloadSkipsBodiesWithoutIdentifiers(t *testing.T) {
	t.Parallel()
	for name, raw := range map[string]string{
		"no identifiers":        `{"type":"track","event":"Product Viewed","properties":{"price":1},"context":{"ip":"1.2.3.4"}}`,
		"context traits":        `{"type":"track","event":"A","context":{"traits":{"email":"a@b.example"}}}`,
		"external ids":          `{"type":"track","event":"A","context":{"externalIds":[{"id":"x1","type":"crm"}]}}`,
		"spaced key":            `{"type":"track","event":"A","context": {"traits" : {"email":"a@b.example"}}}`,
		"escaped key":           `{"type":"track","event":"A","context":{"tr\u0061its":{"email":"a@b.example"}}}`,
		"traits in properties":  `{"type":"track","event":"A","properties":{"traits":{"x":1}}}`,
		"no context at all":     `{"type":"track","event":"A"}`,
		"escaped external ids":  `{"type":"track","event":"A","context":{"external\u0049ds":[{"id":"x1","type":"crm"}]}}`,
		"identifiers elsewhere": `{"type":"track","event":"A","properties":{"note":"externalIds"}}`,
		"keys in another case":  `{"type":"track","event":"A","Context":{"TRAITS":{"email":"a@b.example"}}}`,
		"long s folds to s":     `{"type":"track","event":"A","context":{"trait\u017f":{"email":"a@b.example"}}}`,
		"long s unescaped":      "{\"type\":\"track\",\"event\":\"A\",\"context\":{\"traitſ\":{\"email\":\"a@b.example\"}}}",
	} {
		t.Run(name, func(t *testing.T) {
			e := &event.Event{Type: event.Track, MessageID: "m", Raw: []byte(raw)}
			p, err := decodePayload(e)
			require.NoError(t, err)
			want := fullContext(t, e.Raw)
			require.Equal(t, want.Traits, p.Context.Traits)
			require.Equal(t, want.ExternalIDs, p.Context.ExternalIDs)
		})
	}
	skipped := &event.Event{Type: event.Track, Raw: []byte(`{"event":"A","context":{"ip":"1.2.3.4"}}`)}
	require.False(t, mayHoldIdentifiers(skipped.Raw))
}

func FuzzDecodePayloadSkip(f *testing.F) {
	f.Add([]byte(`{"type":"track","context":{"traits":{"email":"a@b.example"}}}`))
	f.Add([]byte(`{"type":"track","context":{"tr\u0061its":{"a":1}}}`))
	f.Add([]byte(`{"type":"track","properties":{"a":[1,2]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var c contextOnly
		if json.Unmarshal(raw, &c) != nil {
			return // the log holds bodies parsed at ingest
		}
		p, err := decodePayload(&event.Event{Type: event.Track, Raw: raw})
		if err != nil {
			t.Fatalf("a valid body failed to decode: %v", err)
		}
		if len(c.Context.Traits) > 0 || len(c.Context.ExternalIDs) > 0 {
			require.Equal(t, c.Context.Traits, p.Context.Traits)
			require.Equal(t, c.Context.ExternalIDs, p.Context.ExternalIDs)
		}
	})
}
