package pipeline

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// envelope is the body of the processor's events as json.Marshal wrote it
// before appendEnvelope (fields in the order encoding/json gave the map it
// replaced: sorted keys); the tests compare appendEnvelope with it.
type envelope struct {
	Context    envelopeContext `json:"context"`
	Event      string          `json:"event"`
	MessageID  string          `json:"messageId"`
	Properties any             `json:"properties"`
	ReceivedAt time.Time       `json:"receivedAt"`
	Timestamp  time.Time       `json:"timestamp"`
	Type       string          `json:"type"`
}

type envelopeContext struct {
	Library struct {
		Name string `json:"name"`
	} `json:"library"`
}

// marshalEnvelope is the encoding appendEnvelope replaces.
func marshalEnvelope(name, messageID string, at, recv time.Time, props any) ([]byte, error) {
	env := envelope{Event: name, MessageID: messageID, Properties: props, ReceivedAt: recv, Timestamp: at, Type: "track"}
	env.Context.Library.Name = "cairn"
	return json.Marshal(env)
}

func TestAppendEnvelopeMatchesMarshal(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 9, 30, 0, 123456789, time.UTC)
	recv := at.Add(time.Second).Truncate(time.Millisecond)
	berlin := time.FixedZone("CET", 3600)
	type custom struct {
		A int `json:"a"`
	}
	for _, tc := range []struct {
		name  string
		props any
	}{
		{"segment", internalProps{ProfileID: "p-1", SegmentID: "vip", Version: 3, Reason: "event", At: at}},
		{"segment, empty fields", internalProps{ProfileID: "p-1", At: at}},
		{"stage", stageProps{ProfileID: "p-<&>", From: "", To: "purchase", ModelVersion: 0, At: at}},
		{"journey", map[string]any{
			"profile_id": "p-1", "journey_id": "welcome", "journey_version": 2, "instance_id": "i\u2028x",
			"node_id": "n\"1\\", "holdout": true, "paths": map[string]string{"split": "yes", "ab": "b"},
			"set": map[string]any{"plan": "gold", "score": 1.5, "tiny": 1e-7, "huge": 1e21, "zero": 0.0, "neg": -2.25,
				"n": nil, "when": at, "local": at.In(berlin), "list": []any{1, "x", false}},
			"unset": []string{"a", "b"}, "no_list": []string(nil), "no_map": map[string]any(nil), "count": int64(-7),
			"other": custom{A: 4}, "u8": uint8(9), "ctrl": "a\x00\x1f\b\f\n\r\t", "bad": "\xff\xfe", "emoji": "é🙂",
		}},
		{"nil props", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := marshalEnvelope("Journey Step", "m-\"1\"", at, recv, tc.props)
			require.NoError(t, err)
			got, err := appendEnvelope([]byte("prefix"), "Journey Step", "m-\"1\"", at, recv, tc.props)
			require.NoError(t, err)
			require.Equal(t, "prefix"+string(want), string(got))
		})
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), map[string]any{"f": math.Inf(-1)}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := appendEnvelope(nil, "E", "m", at, recv, bad)
		require.Error(t, err, "%v", bad)
	}
}

// FuzzAppendJSONValue: strings, floats and ints encode as json.Marshal
// encodes them.
func FuzzAppendJSONValue(f *testing.F) {
	f.Add("plain", 1.5, int64(3))
	f.Add("<script>&\u2028\u2029\x00\xff", 1e-7, int64(-1))
	f.Add("é🙂\"\\", 1e21, int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, x float64, n int64) {
		for _, v := range []any{s, x, n, map[string]any{s: x, "n": n}, []string{s, s}} {
			want, werr := json.Marshal(v)
			got, gerr := appendJSONValue(nil, v)
			if werr != nil {
				require.Error(t, gerr, "%#v", v)
				continue
			}
			require.NoError(t, gerr, "%#v", v)
			require.Equal(t, string(want), string(got), "%#v", v)
		}
	})
}
