package event

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testReceivedAt = time.Date(2026, 11, 23, 8, 35, 40, 0, time.UTC)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func rawMap(tb testing.TB, ev *Event) map[string]any {
	tb.Helper()
	var m map[string]any
	require.NoError(tb, json.Unmarshal(ev.Raw, &m), "raw: %s", ev.Raw)
	return m
}

func parseBatch(tb testing.TB, body string) *Parsed {
	tb.Helper()
	p, err := Parse([]byte(body), ParseOptions{ReceivedAt: testReceivedAt})
	require.NoError(tb, err)
	return p
}

func TestParseCapturedBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		callType Type
		writeKey string
		types    []Type
		check    func(t *testing.T, p *Parsed)
	}{
		{
			name: "segment-node", body: seedSegmentNode, writeKey: "SEG_NODE_WK",
			types: []Type{Identify, Track, Alias},
			check: func(t *testing.T, p *Parsed) {
				ev := p.Events[0]
				require.Equal(t, "node-next-1795422922405-0a3b5c7e-1d2f-4e6a-9b8c-112233445566", ev.MessageID)
				require.Equal(t, "u-123", ev.UserID)
				require.Equal(t, "anon-1", ev.AnonymousID)
				m := rawMap(t, ev)
				require.Equal(t, map[string]any{"nodeVersion": "v20.20.2", "jsRuntime": "node"}, m["_metadata"])
				require.NotContains(t, m, "writeKey")
				// timestamp = receivedAt - (sentAt - timestamp) = receivedAt - 20ms.
				require.Equal(t, testReceivedAt.Add(-20*time.Millisecond), ev.Timestamp)
				require.Equal(t, ts("2026-11-23T08:35:22.405Z"), ev.OriginalTimestamp)
				require.Equal(t, ts("2026-11-23T08:35:22.425Z"), ev.SentAt)
				require.Equal(t, "Item Purchased", p.Events[1].Name)
				require.Equal(t, "anon-1", p.Events[2].PreviousID)
			},
		},
		{
			name: "segment-go merges the batch context", body: seedSegmentGo,
			types: []Type{Identify, Track},
			check: func(t *testing.T, p *Parsed) {
				for _, ev := range p.Events {
					m := rawMap(t, ev)
					require.Equal(t, map[string]any{"name": "analytics-go", "version": "3.0.0"},
						m["context"].(map[string]any)["library"])
					require.NotEqual(t, "28ca1d6e-0f4b-4d8e-a7c2-8d0f3b9e6a11", ev.MessageID, "the batch's messageId is not an event's")
				}
				require.Equal(t, ts("2026-11-23T08:35:26.063595114Z"), p.Events[0].SentAt)
				require.Equal(t, testReceivedAt.Add(-(ts("2026-11-23T08:35:26.063595114Z").Sub(ts("2026-11-23T08:35:26.063159574Z")))), p.Events[0].Timestamp)
			},
		},
		{
			name: "rudder-node keeps channel and context.traits", body: seedRudderNode,
			types: []Type{Identify},
			check: func(t *testing.T, p *Parsed) {
				ev := p.Events[0]
				m := rawMap(t, ev)
				require.Equal(t, "server", m["channel"])
				require.Equal(t, map[string]any{"email": "pia@nto.example"}, m["context"].(map[string]any)["traits"])
				require.Equal(t, testReceivedAt.Add(-4*time.Millisecond), ev.Timestamp)
				require.Equal(t, "2026-11-23T08:35:24.303Z", m["originalTimestamp"])
				require.Equal(t, "2026-11-23T08:35:39.996Z", m["timestamp"])
				require.Equal(t, "2026-11-23T08:35:40Z", m["receivedAt"])
			},
		},
		{
			name: "rudder-go", body: seedRudderGo,
			types: []Type{Identify, Track},
			check: func(t *testing.T, p *Parsed) {
				ev := p.Events[0]
				require.Equal(t, ts("2026-11-23T08:35:27.387517661Z"), ev.SentAt)
				require.Equal(t, ts("2026-11-23T08:35:27.387040489Z"), ev.OriginalTimestamp)
				require.Equal(t, testReceivedAt.Add(-477172*time.Nanosecond), ev.Timestamp)
				require.Equal(t, "2026-11-23T08:35:27.387517661Z", rawMap(t, ev)["sentAt"])
			},
		},
		{
			name: "browser batch", body: seedBrowserBatch, writeKey: "AJS_WK",
			types: []Type{Track},
			check: func(t *testing.T, p *Parsed) {
				require.Equal(t, ts("2026-11-23T08:35:31.200Z"), p.Events[0].SentAt)
				require.Equal(t, testReceivedAt.Add(-200*time.Millisecond), p.Events[0].Timestamp)
				require.Equal(t, map[string]any{"Segment.io": true}, rawMap(t, p.Events[0])["integrations"])
			},
		},
		{
			name: "browser single event", body: seedBrowserSingle, callType: Identify, writeKey: "AJS_WK",
			types: []Type{Identify},
			check: func(t *testing.T, p *Parsed) {
				ev := p.Events[0]
				m := rawMap(t, ev)
				require.NotContains(t, m, "writeKey")
				require.Equal(t, "en-US", m["context"].(map[string]any)["locale"])
				require.Equal(t, testReceivedAt.Add(-5*time.Millisecond), ev.Timestamp)
				require.Equal(t, []any{"Segment.io"}, m["_metadata"].(map[string]any)["bundled"])
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tt.body), ParseOptions{CallType: tt.callType, ReceivedAt: testReceivedAt})
			require.NoError(t, err)
			require.Empty(t, p.Rejects)
			require.Equal(t, tt.writeKey, p.WriteKey)
			require.Len(t, p.Events, len(tt.types))
			for i, ev := range p.Events {
				require.Equal(t, tt.types[i], ev.Type)
				require.Equal(t, testReceivedAt, ev.ReceivedAt)
				checkInvariants(t, ev)
			}
			tt.check(t, p)
		})
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkInvariants holds for every accepted event.
func checkInvariants(tb testing.TB, ev *Event) {
	tb.Helper()
	require.True(tb, ev.Type.Valid(), "type %q", ev.Type)
	require.NotEmpty(tb, ev.MessageID)
	require.False(tb, ev.Timestamp.IsZero())
	require.True(tb, json.Valid(ev.Raw), "raw: %s", ev.Raw)
	_, err := ev.DecodePayload()
	require.NoError(tb, err, "raw: %s", ev.Raw)
	m := rawMap(tb, ev)
	require.Equal(tb, string(ev.Type), m["type"])
	require.Equal(tb, ev.MessageID, m["messageId"])
	require.Equal(tb, ev.Timestamp.Format(time.RFC3339Nano), m["timestamp"])
	require.Equal(tb, ev.ReceivedAt.Format(time.RFC3339Nano), m["receivedAt"])
}

func TestParseTimestampCorrection(t *testing.T) {
	t.Parallel()
	const recv = "2026-11-23T08:35:40Z"
	tests := []struct {
		name                            string
		batchSentAt                     string // top-level, "" for none
		event                           string // extra members of the event
		sentAt, original, wantTimestamp string // "" = zero
	}{
		{
			name:  "skewed client clock is corrected",
			event: `"timestamp":"2026-11-23T09:35:39.000Z","sentAt":"2026-11-23T09:35:39.500Z"`,
			// Client clock is an hour fast; the event happened 500 ms before it was sent.
			sentAt: "2026-11-23T09:35:39.5Z", original: "2026-11-23T09:35:39Z", wantTimestamp: "2026-11-23T08:35:39.5Z",
		},
		{
			name:        "batch sentAt applies to events without their own",
			batchSentAt: "2026-11-23T08:35:50Z",
			event:       `"timestamp":"2026-11-23T08:35:49Z"`,
			sentAt:      "2026-11-23T08:35:50Z", original: "2026-11-23T08:35:49Z", wantTimestamp: "2026-11-23T08:35:39Z",
		},
		{
			name:        "event sentAt wins over the batch's",
			batchSentAt: "2026-11-23T08:35:50Z",
			event:       `"timestamp":"2026-11-23T08:35:49Z","sentAt":"2026-11-23T08:35:49.5Z"`,
			sentAt:      "2026-11-23T08:35:49.5Z", original: "2026-11-23T08:35:49Z", wantTimestamp: "2026-11-23T08:35:39.5Z",
		},
		{
			name:   "originalTimestamp wins over timestamp",
			event:  `"originalTimestamp":"2026-11-23T08:00:00Z","timestamp":"2026-11-23T07:00:00Z","sentAt":"2026-11-23T08:00:01Z"`,
			sentAt: "2026-11-23T08:00:01Z", original: "2026-11-23T08:00:00Z", wantTimestamp: "2026-11-23T08:35:39Z",
		},
		{
			name:     "no sentAt keeps the client time",
			event:    `"timestamp":"2026-11-20T10:00:00+02:00"`,
			original: "2026-11-20T08:00:00Z", wantTimestamp: "2026-11-20T08:00:00Z",
		},
		{
			name:   "sentAt alone falls back to receivedAt",
			event:  `"sentAt":"2026-11-23T08:35:39Z"`,
			sentAt: "2026-11-23T08:35:39Z", wantTimestamp: recv,
		},
		{
			name:          "nothing at all is receivedAt",
			wantTimestamp: recv,
		},
		{
			name:     "null and empty timestamps count as absent",
			event:    `"timestamp":null,"sentAt":"","originalTimestamp":"2026-11-23T08:00:00.123456789Z"`,
			original: "2026-11-23T08:00:00.123456789Z", wantTimestamp: "2026-11-23T08:00:00.123456789Z",
		},
		{
			name:     "nine fractional digits and a negative offset",
			event:    `"timestamp":"2026-11-23T03:00:00.000000001-05:00"`,
			original: "2026-11-23T08:00:00.000000001Z", wantTimestamp: "2026-11-23T08:00:00.000000001Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev := `{"type":"track","event":"E","userId":"u"`
			if tt.event != "" {
				ev += "," + tt.event
			}
			body := `{"batch":[` + ev + `}]`
			if tt.batchSentAt != "" {
				body += `,"sentAt":"` + tt.batchSentAt + `"`
			}
			body += "}"
			p := parseBatch(t, body)
			require.Empty(t, p.Rejects)
			require.Len(t, p.Events, 1)
			got := p.Events[0]
			zeroOr := func(s string) time.Time {
				if s == "" {
					return time.Time{}
				}
				return ts(s)
			}
			require.Equal(t, ts(recv), got.ReceivedAt)
			require.Equal(t, zeroOr(tt.sentAt), got.SentAt)
			require.Equal(t, zeroOr(tt.original), got.OriginalTimestamp)
			require.Equal(t, ts(tt.wantTimestamp), got.Timestamp)
			m := rawMap(t, got)
			for key, want := range map[string]string{"sentAt": tt.sentAt, "originalTimestamp": tt.original} {
				if want == "" {
					require.NotContains(t, m, key)
				} else {
					require.Equal(t, ts(want).Format(time.RFC3339Nano), m[key])
				}
			}
			checkInvariants(t, got)
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event    string // one batch entry
		reason, field  string
		detailContains string
	}{
		{"string entry", `"hello"`, ReasonInvalidJSONType, "batch[1]", "is a string"},
		{"userId object", `{"type":"identify","userId":{"id":1}}`, ReasonInvalidJSONType, "batch[1].userId", "must be a string or a number"},
		{"anonymousId array", `{"type":"identify","anonymousId":["a"]}`, ReasonInvalidJSONType, "batch[1].anonymousId", "is an array"},
		{"groupId bool", `{"type":"group","userId":"u","groupId":true}`, ReasonInvalidJSONType, "batch[1].groupId", "is a boolean"},
		{"previousId object", `{"type":"alias","userId":"u","previousId":{}}`, ReasonInvalidJSONType, "batch[1].previousId", "an object"},
		{"event object", `{"type":"track","userId":"u","event":{}}`, ReasonInvalidJSONType, "batch[1].event", "an object"},
		{"messageId object", `{"type":"track","userId":"u","event":"E","messageId":{}}`, ReasonInvalidJSONType, "batch[1].messageId", "a string"},
		{"traits string", `{"type":"identify","userId":"u","traits":"x"}`, ReasonInvalidJSONType, "batch[1].traits", "an object"},
		{"Properties array (case-folded)", `{"type":"track","userId":"u","event":"E","Properties":[1]}`, ReasonInvalidJSONType, "batch[1].Properties", "an object"},
		{"context number", `{"type":"track","userId":"u","event":"E","context":5}`, ReasonInvalidJSONType, "batch[1].context", "an object"},
		{"context.ip number", `{"type":"track","userId":"u","event":"E","context":{"ip":5}}`, ReasonInvalidJSONType, "batch[1].context.ip", "a string"},
		{"context.traits array", `{"type":"identify","userId":"u","context":{"traits":[]}}`, ReasonInvalidJSONType, "batch[1].context.traits", "an object"},
		{"context.externalIds object", `{"type":"identify","userId":"u","context":{"externalIds":{}}}`, ReasonInvalidJSONType, "batch[1].context.externalIds", "array"},
		{"externalIds type number", `{"type":"identify","userId":"u","context":{"externalIds":[{"id":"1","type":2}]}}`, ReasonInvalidJSONType, "batch[1].context.externalIds", "array"},
		{"integrations array", `{"type":"track","userId":"u","event":"E","integrations":[]}`, ReasonInvalidJSONType, "batch[1].integrations", "an object"},
		{"missing type", `{"userId":"u"}`, ReasonMissingType, "batch[1].type", `no "type"`},
		{"bad type", `{"type":"purchase","userId":"u"}`, ReasonBadType, "batch[1].type", `"purchase"`},
		{"type number", `{"type":3,"userId":"u"}`, ReasonBadType, "batch[1].type", "must be one of"},
		{"missing identifier", `{"type":"track","event":"E"}`, ReasonMissingIdentifier, "batch[1].userId", "neither userId nor anonymousId"},
		{"empty identifiers", `{"type":"page","userId":"","anonymousId":null}`, ReasonMissingIdentifier, "batch[1].userId", "(page)"},
		{"track without event", `{"type":"track","userId":"u"}`, ReasonMissingEvent, "batch[1].event", "Order Completed"},
		{"track with empty event", `{"type":"track","userId":"u","event":""}`, ReasonMissingEvent, "batch[1].event", "without"},
		{"group without groupId", `{"type":"group","userId":"u"}`, ReasonMissingGroupID, "batch[1].groupId", "groupId"},
		{"alias without userId", `{"type":"alias","previousId":"a","anonymousId":"a"}`, ReasonMissingUserID, "batch[1].userId", "alias"},
		{"alias without previousId", `{"type":"alias","userId":"u"}`, ReasonMissingPreviousID, "batch[1].previousId", "previousId"},
		{"bad timestamp", `{"type":"track","userId":"u","event":"E","timestamp":"2026-11-23 08:35:22"}`, ReasonBadTimestamp, "batch[1].timestamp", "RFC 3339"},
		{"timestamp number", `{"type":"track","userId":"u","event":"E","timestamp":1795422922}`, ReasonBadTimestamp, "batch[1].timestamp", "1795422922"},
		{"ten fractional digits", `{"type":"track","userId":"u","event":"E","sentAt":"2026-11-23T08:35:22.1234567890Z"}`, ReasonBadTimestamp, "batch[1].sentAt", "0 to 9 fractional"},
		{"bad originalTimestamp", `{"type":"track","userId":"u","event":"E","originalTimestamp":"2026-02-30T00:00:00Z"}`, ReasonBadTimestamp, "batch[1].originalTimestamp", "2026-02-30"},
		{"messageId too long", `{"type":"track","userId":"u","event":"E","messageId":"` + strings.Repeat("m", 256) + `"}`, ReasonBadMessageID, "batch[1].messageId", "256 bytes"},
		{"event too large", `{"type":"track","userId":"u","event":"E","properties":{"blob":"` + strings.Repeat("x", 40000) + `"}}`, ReasonEventTooLarge, "batch[1]", "at most 32768 bytes"},
		{"NUL escape", `{"type":"track","userId":"u","event":"E","properties":{"a":"x\u0000y"}}`, ReasonUnsupportedUnicode, "batch[1]", `\u0000`},
		{"lone surrogate", `{"type":"track","userId":"u","event":"E","properties":{"a":"\ud800x"}}`, ReasonUnsupportedUnicode, "batch[1]", "surrogate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			good := `{"type":"track","userId":"ok","event":"Fine","messageId":"m-good"}`
			body := `{"batch":[` + good + `,` + tt.event + `,` + good + `]}`
			p := parseBatch(t, body)
			require.Len(t, p.Events, 2, "the valid neighbours are kept")
			require.Len(t, p.Rejects, 1)
			r := p.Rejects[0]
			require.Equal(t, 1, r.Index)
			require.Equal(t, tt.reason, r.Reason)
			require.Equal(t, tt.field, r.Field)
			require.Contains(t, r.Detail, tt.detailContains)
			require.NotEmpty(t, r.Excerpt)
			require.LessOrEqual(t, len(r.Excerpt), 1024)
			require.True(t, strings.HasPrefix(tt.event, r.Excerpt), "excerpt is a prefix of the entry")
		})
	}
}

func TestParseRejectKeepsMessageID(t *testing.T) {
	t.Parallel()
	p := parseBatch(t, `{"batch":[{"type":"track","userId":"u","messageId":"m-1"}]}`)
	require.Len(t, p.Rejects, 1)
	require.Equal(t, "m-1", p.Rejects[0].MessageID)
	require.Equal(t, ReasonMissingEvent, p.Rejects[0].Reason)
}

func TestParseBadBatchSentAt(t *testing.T) {
	t.Parallel()
	p := parseBatch(t, `{"sentAt":"yesterday","batch":[
		{"type":"track","userId":"u","event":"E"},
		{"type":"track","userId":"u","event":"E","sentAt":"2026-11-23T08:35:39Z"}]}`)
	require.Len(t, p.Events, 1, "an event with its own sentAt does not need the batch's")
	require.Len(t, p.Rejects, 1)
	require.Equal(t, ReasonBadTimestamp, p.Rejects[0].Reason)
	require.Equal(t, "sentAt", p.Rejects[0].Field)
	require.Contains(t, p.Rejects[0].Detail, `"yesterday"`)
}

func TestParseSingleEventPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		callType Type
		body     string
		wantType Type
		reason   string
		field    string
	}{
		{"type from the path", Track, `{"event":"E","userId":"u"}`, Track, "", ""},
		{"body type kept", Track, `{"type":"page","userId":"u","name":"Home"}`, Page, "", ""},
		{"null type takes the path's", Screen, `{"type":null,"anonymousId":"a"}`, Screen, "", ""},
		{"escaped type", Track, `{"type":"p\u0061ge","anonymousId":"a"}`, Page, "", ""},
		{"single event rejected", Track, `{"userId":"u"}`, "", ReasonMissingEvent, "event"},
		{"single event wrong type", Identify, `{"userId":[1]}`, "", ReasonInvalidJSONType, "userId"},
		{"a batch body on a single path is one event without identifiers", Identify, `{"batch":[]}`, "", ReasonMissingIdentifier, "userId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tt.body), ParseOptions{CallType: tt.callType, ReceivedAt: testReceivedAt})
			require.NoError(t, err)
			if tt.reason != "" {
				require.Empty(t, p.Events)
				require.Len(t, p.Rejects, 1)
				require.Equal(t, tt.reason, p.Rejects[0].Reason)
				require.Equal(t, tt.field, p.Rejects[0].Field)
				require.Equal(t, 0, p.Rejects[0].Index)
				require.Contains(t, p.Rejects[0].Detail, tt.field)
				return
			}
			require.Len(t, p.Events, 1)
			require.Equal(t, tt.wantType, p.Events[0].Type)
			checkInvariants(t, p.Events[0])
		})
	}
}

func TestParseBodyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		callType Type
		body     string
		opts     ParseOptions
		want     error
		contains string
	}{
		{name: "empty", body: "  ", want: ErrMalformedBody, contains: "empty"},
		{name: "not JSON", body: "userId=u", want: ErrMalformedBody, contains: "invalid character 'u' at byte 0"},
		{name: "truncated", body: `{"batch":[{"type":"track"`, want: ErrMalformedBody, contains: "unexpected end"},
		{name: "array top", body: `[{"type":"track"}]`, want: ErrMalformedBody, contains: "must be a JSON object, not an array"},
		{name: "no batch", body: `{"type":"track","userId":"u"}`, want: ErrMalformedBody, contains: `no "batch" array`},
		{name: "empty object", body: `{}`, want: ErrMalformedBody, contains: `no "batch" array`},
		{name: "batch not array", body: `{"batch":{"type":"track"}}`, want: ErrMalformedBody, contains: `no "batch" array`},
		{name: "batch null", body: `{"batch":null}`, want: ErrMalformedBody, contains: `no "batch" array`},
		{name: "top context string", body: `{"batch":[],"context":"x"}`, want: ErrMalformedBody, contains: `top-level "context" is a string`},
		{name: "top integrations array", body: `{"batch":[],"integrations":[]}`, want: ErrMalformedBody, contains: `"integrations" is an array`},
		{name: "trailing data", body: `{"batch":[]} x`, want: ErrMalformedBody, contains: "after the top-level object"},
		{name: "single trailing data", callType: Track, body: `{"userId":"u"}{}`, want: ErrMalformedBody, contains: "after the top-level"},
		{name: "single not object", callType: Track, body: `"x"`, want: ErrMalformedBody, contains: "not a string"},
		{name: "bad JSON deep inside", body: `{"batch":[{"type":"track","properties":{"a":[1,2,}]}}]}`, want: ErrMalformedBody, contains: "byte"},
		{
			name: "too many events", body: `{"batch":[{},{},{}]}`, opts: ParseOptions{MaxBatchEvents: 2},
			want: ErrTooManyEvents, contains: "at most 2 events",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.CallType, opts.ReceivedAt = tt.callType, testReceivedAt
			_, err := Parse([]byte(tt.body), opts)
			require.ErrorIs(t, err, tt.want)
			require.Contains(t, err.Error(), tt.contains)
		})
	}
}

func TestParseOptionsErrors(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`{"batch":[]}`), ParseOptions{})
	require.ErrorContains(t, err, "ReceivedAt is required")
	_, err = Parse([]byte(`{}`), ParseOptions{CallType: "buy", ReceivedAt: testReceivedAt})
	require.ErrorContains(t, err, `unknown call type "buy"`)
}

func TestParseMerge(t *testing.T) {
	t.Parallel()
	body := `{"context":{"library":{"name":"batch-lib"},"locale":"en-US","ip":"10.0.0.9"},
	  "integrations":{"All":false,"Mixpanel":true},
	  "batch":[
	    {"type":"track","userId":"u","event":"E","context":{"library":{"name":"own"},"page":{"path":"/"}},"integrations":{"All":true}},
	    {"type":"track","userId":"u","event":"E"},
	    {"type":"track","userId":"u","event":"E","context":null,"integrations":null}
	  ]}`
	p, err := Parse([]byte(body), ParseOptions{ReceivedAt: testReceivedAt, ClientIP: "203.0.113.7"})
	require.NoError(t, err)
	require.Len(t, p.Events, 3)
	first := rawMap(t, p.Events[0])
	require.Equal(t, map[string]any{
		"library": map[string]any{"name": "own"}, // the event's key wins, whole (no deep merge)
		"page":    map[string]any{"path": "/"},
		"locale":  "en-US",
		"ip":      "10.0.0.9", // from the batch context: not filled from the connection
	}, first["context"])
	require.Equal(t, map[string]any{"All": true, "Mixpanel": true}, first["integrations"])
	for _, ev := range p.Events[1:] {
		m := rawMap(t, ev)
		require.Equal(t, map[string]any{"library": map[string]any{"name": "batch-lib"}, "locale": "en-US", "ip": "10.0.0.9"}, m["context"])
		require.Equal(t, map[string]any{"All": false, "Mixpanel": true}, m["integrations"])
	}
}

func TestParseClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		context string // the event's context member, "" for none
		wantCtx map[string]any
	}{
		{"no context", "", map[string]any{"ip": "203.0.113.7"}},
		{"context without ip", `"context":{"locale":"de"}`, map[string]any{"locale": "de", "ip": "203.0.113.7"}},
		{"client ip kept", `"context":{"ip":"198.51.100.1"}`, map[string]any{"ip": "198.51.100.1"}},
		{"null ip replaced", `"context":{"ip":null,"locale":"de"}`, map[string]any{"locale": "de", "ip": "203.0.113.7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev := `{"type":"identify","userId":"u"`
			if tt.context != "" {
				ev += "," + tt.context
			}
			p, err := Parse([]byte(ev+"}"), ParseOptions{CallType: Identify, ReceivedAt: testReceivedAt, ClientIP: "203.0.113.7"})
			require.NoError(t, err)
			require.Len(t, p.Events, 1)
			require.Equal(t, tt.wantCtx, rawMap(t, p.Events[0])["context"])
			payload, err := p.Events[0].DecodePayload()
			require.NoError(t, err)
			require.Equal(t, tt.wantCtx["ip"], payload.Context.IP)
		})
	}
}

func TestParseIdentifiersAndMessageIDs(t *testing.T) {
	t.Parallel()
	p := parseBatch(t, `{"batch":[
		{"type":"identify","userId":12345,"anonymousId":-1.5e3,"messageId":987},
		{"type":"group","userId":"u","groupId":"g\u00e9","messageId":""},
		{"type":"alias","userId":"new","previousId":"old","messageId":null},
		{"type":"page","anonymousId":"a","name":"Home"},
		{"type":"screen","anonymousId":"a","name":7}
	]}`)
	require.Empty(t, p.Rejects)
	require.Len(t, p.Events, 5)
	id := p.Events[0]
	require.Equal(t, "12345", id.UserID)
	require.Equal(t, "-1.5e3", id.AnonymousID)
	require.Equal(t, "987", id.MessageID)
	m := rawMap(t, id)
	require.InDelta(t, 12345.0, m["userId"], 0, "raw identifiers stay as received")
	require.Equal(t, "gé", p.Events[1].GroupID)
	require.Regexp(t, uuidRE, p.Events[1].MessageID, "empty messageId is replaced")
	require.Regexp(t, uuidRE, p.Events[2].MessageID, "null messageId is replaced")
	require.NotEqual(t, p.Events[1].MessageID, p.Events[2].MessageID)
	require.Equal(t, "old", p.Events[2].PreviousID)
	require.Equal(t, "Home", p.Events[3].Name)
	require.Equal(t, "7", p.Events[4].Name)
	for _, ev := range p.Events {
		checkInvariants(t, ev)
	}
}

func TestParseKeepsUnknownFieldsAndDropsDuplicates(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(`{"type":"track","event":"E","userId":"u","custom":{"deep":[1,{"x":null}]},
		"messageId":"first","messageId":"second","receivedAt":"1999-01-01T00:00:00Z","Context":{"locale":"fr"},"context":{"locale":"de"}}`),
		ParseOptions{CallType: Track, ReceivedAt: testReceivedAt})
	require.NoError(t, err)
	require.Len(t, p.Events, 1)
	ev := p.Events[0]
	require.Equal(t, "second", ev.MessageID, "the last duplicate wins, as in encoding/json")
	require.Equal(t, 1, strings.Count(string(ev.Raw), `"messageId"`))
	require.Equal(t, 1, strings.Count(strings.ToLower(string(ev.Raw)), `"context"`))
	m := rawMap(t, ev)
	require.Equal(t, map[string]any{"deep": []any{1.0, map[string]any{"x": nil}}}, m["custom"])
	require.Equal(t, "2026-11-23T08:35:40Z", m["receivedAt"], "receivedAt is the server's")
	require.Equal(t, map[string]any{"locale": "de"}, m["context"])
}

func TestParseInvalidUTF8IsReplaced(t *testing.T) {
	t.Parallel()
	body := []byte(`{"type":"identify","userId":"u` + "\xff\xfe" + `"}`)
	p, err := Parse(body, ParseOptions{CallType: Identify, ReceivedAt: testReceivedAt})
	require.NoError(t, err)
	require.Len(t, p.Events, 1)
	require.Equal(t, "u\uFFFD", p.Events[0].UserID)
	checkInvariants(t, p.Events[0])
}

func TestParseErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`{`), ParseOptions{ReceivedAt: testReceivedAt})
	require.True(t, errors.Is(err, ErrMalformedBody))
	require.False(t, errors.Is(err, ErrTooManyEvents))
}

func TestIdentifyByTraitsAlone(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name, body string
		accepted   bool
	}{
		{"email only", `{"batch":[{"type":"identify","traits":{"email":"pia@nto.example"}}]}`, true},
		{"phone only", `{"batch":[{"type":"identify","traits":{"phone":"+13035550142"}}]}`, true},
		{"empty email", `{"batch":[{"type":"identify","traits":{"email":"  "}}]}`, false},
		{"track with email trait is not enough", `{"batch":[{"type":"track","event":"E","traits":{"email":"a@b.c"}}]}`, false},
		{"no traits", `{"batch":[{"type":"identify"}]}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tc.body), ParseOptions{ReceivedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(p.Events) == 1; got != tc.accepted {
				t.Fatalf("accepted = %v, want %v (rejects %+v)", got, tc.accepted, p.Rejects)
			}
		})
	}
}
