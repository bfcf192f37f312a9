package event

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and that every accepted event is
// complete: a valid type, a messageId, a non-zero timestamp and a Raw that is
// valid JSON and decodes into a Payload.
func FuzzParse(f *testing.F) {
	for _, body := range seedBatches {
		f.Add([]byte(body), uint8(0))
	}
	f.Add([]byte(seedBrowserSingle), uint8(1))
	f.Add([]byte(`{"userId":12,"event":"E","context":{"ip":null,"externalIds":[{"id":1,"type":"x"},null]}}`), uint8(2))
	f.Add([]byte(`{"batch":[1,"x",{"type":"alias","userId":"u","previousId":"p","sentAt":"2026-01-01T00:00:00.1+01:00"}],"context":{"ip":"1.2.3.4"}}`), uint8(0))
	f.Add([]byte(`{"batch":[{"type":"track","userId":"u","event":"\ud83d\ude00","messageId":"\u0041"}],"sentAt":"bad"}`), uint8(0))
	types := []Type{"", Identify, Track, Page, Screen, Group, Alias}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		opts := ParseOptions{
			CallType:   types[int(mode)%len(types)],
			ReceivedAt: testReceivedAt,
			ClientIP:   "192.0.2.1",
		}
		p, err := Parse(body, opts)
		if err != nil {
			if p != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		if len(p.Events)+len(p.Rejects) == 0 && opts.CallType != "" {
			t.Fatal("a single-event body produced neither an event nor a rejection")
		}
		for _, ev := range p.Events {
			if !ev.Type.Valid() || ev.MessageID == "" || ev.Timestamp.IsZero() || !ev.ReceivedAt.Equal(testReceivedAt) {
				t.Fatalf("incomplete event %+v", ev)
			}
			if !json.Valid(ev.Raw) {
				t.Fatalf("invalid raw %q", ev.Raw)
			}
			if _, err := ev.DecodePayload(); err != nil {
				t.Fatalf("raw does not decode: %v: %s", err, ev.Raw)
			}
			var top struct {
				Type      string `json:"type"`
				MessageID string `json:"messageId"`
				Timestamp string `json:"timestamp"`
			}
			if err := json.Unmarshal(ev.Raw, &top); err != nil || top.Type != string(ev.Type) ||
				top.MessageID != ev.MessageID || top.Timestamp != ev.Timestamp.Format(time.RFC3339Nano) {
				t.Fatalf("raw disagrees with the event (%v): %s", err, ev.Raw)
			}
		}
		for _, r := range p.Rejects {
			if r.Reason == "" || r.Detail == "" || len(r.Excerpt) > excerptBytes {
				t.Fatalf("incomplete rejection %+v", r)
			}
		}
	})
}

// FuzzScanner checks that the scanner accepts exactly what json.Valid accepts.
func FuzzScanner(f *testing.F) {
	for _, body := range seedBatches {
		f.Add([]byte(body))
	}
	for _, s := range []string{`0`, `-0.0e+0`, `01`, `1.`, `.5`, `"\u00e9\ud83d\ude00"`, `"\x"`, "\"a\tb\"", `[1,]`, `{"a":1,}`,
		`{"a" 1}`, `[]`, `{}`, ` true `, `nul`, `[1 2]`, `{"a":[{"b":null}]}`, "\"\xff\"", `1e5`, `1E+`, `-`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := scanner{b: data}
		_, end, err := s.value(0)
		ok := err == nil && skipWS(data, end) == len(data)
		if want := json.Valid(data); ok != want {
			t.Fatalf("scanner says valid=%v, json.Valid says %v (err %v) for %q", ok, want, err, data)
		}
		// Keys are compared on valid UTF-8 only: Parse replaces invalid bytes first.
		if ok && utf8.Valid(data) && len(bytes.TrimSpace(data)) > 0 && data[skipWS(data, 0)] == '{' {
			s := scanner{b: data}
			fields, oend, err := s.object(0, nil)
			if err != nil || oend != end {
				t.Fatalf("object walk: %v, end %d want %d", err, oend, end)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for i := range fields {
				if _, found := m[string(s.key(&fields[i]))]; !found {
					t.Fatalf("key %q not found by encoding/json", s.key(&fields[i]))
				}
			}
		}
	})
}

// FuzzParseTimestamp checks ParseTimestamp against the time package.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-11-23T08:35:22.405Z", "2026-11-23T08:35:26.063595114Z", "2026-11-23t08:35:22z",
		"2024-02-29T23:59:60+23:59", "0001-01-01T00:00:00Z", "2026-11-23T08:35:22.Z", "2026-11-23T08:35:22+0100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseTimestamp([]byte(s))
		if !ok {
			return
		}
		if got.Location() != time.UTC || got.IsZero() {
			t.Fatalf("%q: %v not UTC or zero", s, got)
		}
		norm := strings.ToUpper(s)
		if strings.Contains(norm, ":60") {
			return // the time package refuses leap seconds; RFC 3339 allows them
		}
		want, err := time.Parse(time.RFC3339Nano, norm)
		if err != nil {
			t.Fatalf("%q accepted, but time.Parse refuses it: %v", s, err)
		}
		if !want.Equal(got) {
			t.Fatalf("%q: got %v, time.Parse %v", s, got, want)
		}
		again, ok := ParseTimestamp([]byte(got.Format(time.RFC3339Nano)))
		if !ok || !again.Equal(got) {
			t.Fatalf("%q does not round-trip: %v", s, got)
		}
	})
}
