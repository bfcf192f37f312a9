package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// checkStream reads everything and checks the invariants every emitted row
// must hold: valid JSON with a known type, a messageId and an identifier.
func checkStream(t *testing.T, data []byte, spec Spec) {
	r, err := NewReader(bytes.NewReader(data), spec)
	if err != nil {
		return
	}
	lastLine := 0
	for calls := 0; ; calls++ {
		if calls > len(data)+2 {
			t.Fatalf("Next does not reach the end: %d calls for %d bytes", calls, len(data))
		}
		row, err := r.Next()
		var re *RowError
		switch {
		case err == nil:
			checkEvent(t, row.Event)
			if row.Line <= lastLine {
				t.Fatalf("line %d after line %d", row.Line, lastLine)
			}
			lastLine = row.Line
		case errors.As(err, &re):
			if re.Line <= lastLine || re.Reason == "" {
				t.Fatalf("bad reject %+v after line %d", re, lastLine)
			}
			lastLine = re.Line
		case errors.Is(err, io.EOF):
			return
		default:
			if _, again := r.Next(); !errors.Is(again, err) {
				t.Fatalf("fatal error not sticky: %v then %v", err, again)
			}
			return
		}
	}
}

func checkEvent(t *testing.T, ev []byte) {
	t.Helper()
	if len(ev) > maxEventBytes {
		t.Fatalf("event of %d bytes", len(ev))
	}
	var m map[string]any // a map: struct decoding would match keys case-insensitively
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatalf("invalid event %s: %v", ev, err)
	}
	typ, _ := m["type"].(string)
	if segmentType([]byte(`"`+typ+`"`)) == "" {
		t.Fatalf("bad type in %s", ev)
	}
	if id, _ := m["messageId"].(string); id == "" {
		t.Fatalf("no messageId in %s", ev)
	}
	has := func(v any) bool {
		switch x := v.(type) {
		case string:
			return strings.TrimSpace(x) != ""
		case float64:
			return true
		}
		return false
	}
	email := func(parent any) any {
		obj, _ := parent.(map[string]any)
		return obj["email"]
	}
	ctx, _ := m["context"].(map[string]any)
	if typ == "alias" {
		if !has(m["userId"]) || !has(m["previousId"]) {
			t.Fatalf("alias without userId and previousId: %s", ev)
		}
		return
	}
	if !has(m["userId"]) && !has(m["anonymousId"]) && !has(email(m["traits"])) && !has(email(ctx["traits"])) {
		t.Fatalf("no identifier in %s", ev)
	}
}

var fuzzSpecs = []Spec{
	{SourceName: "s", IDColumn: "id"},
	{SourceName: "s", IDColumn: "id", IDType: IDEmail, Event: "E", TimestampColumn: "ts",
		Map: map[string]string{"a": "x.y:int", "b": "x.z:float", "c": "flag:bool", "d": "context.ip", "u": "userId"}},
	{SourceName: "s", IDColumn: "id", IDType: IDAnonymousID, EventColumn: "b", Map: map[string]string{"a": "a:string", "c": "c"}},
}

func FuzzReaderCSV(f *testing.F) {
	for _, seed := range []string{
		"id,a,b,c,d,ts,u\nu1,1,2.5,yes,1.2.3.4,2024-05-01,x\n",
		"id,a,b\n\"u,1\",\"x\"\"y\",\"multi\nline\"\r\n",
		"\ufeffid;a;b\nu1;1;2\n",
		"id,a\nu1,\"open\nu2,b\n",
		"id,a\nu1,\"x\"y,z\n",
		"id,a\n\xff,\xfe\n",
		"id,a,b,c,d,ts,u\na@b.c,9223372036854775808,1e400,maybe,,1714571100123,\n",
		"id\tb\n x@y.z \tEv\n",
		"id,a,a\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	z := gz(f, []byte("id,a,b\nu1,x,y\nu2,\"q\"\"\",z\n"))
	f.Add(z)
	f.Add(z[:len(z)-6])
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, spec := range fuzzSpecs {
			spec.Format = FormatCSV
			checkStream(t, data, spec)
		}
	})
}

func FuzzReaderJSONL(f *testing.F) {
	for _, seed := range []string{
		`{"type":"identify","userId":"u1","traits":{"email":"a@b.c"}}` + "\n" + `{"type":"track","event":"E","anonymousId":"a","messageId":"m"}`,
		`{"id":"x@y.z","a":"42","b":"Ev","c":[1,2],"ts":"2024-05-01T00:00:00Z"}`,
		`{"id":12,"a":1.5,"b":null,"c":{"k":"v"}}`,
		`{"type":"alias","userId":"u","previousId":"p"}` + "\n" + `{"type":"group","groupId":"g","userId":1}`,
		`{"type":"identify","traits":{"email":"a@b.c"},"messageId":null}`,
		"{\"type\":\"page\",\"userId\":\"\\u0000\"}\n[1]\n{bad\n\xff\n",
		`{"type":"identify","userId":"u","timestamp":"nope"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkStream(t, data, Spec{SourceName: "s", Format: FormatJSONL})
		for _, spec := range fuzzSpecs {
			spec.Format = FormatJSONL
			checkStream(t, data, spec)
		}
	})
}
