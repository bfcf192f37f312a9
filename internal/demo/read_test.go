package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rebuild writes lines back in Generate's format.
func rebuild(t testing.TB, r io.Reader) []byte {
	t.Helper()
	var out bytes.Buffer
	var kept []json.RawMessage
	err := Read(r, func(source string, event json.RawMessage) error {
		kept = append(kept, event)
		out.WriteString(`{"source":"` + source + `","event":`)
		out.Write(event)
		out.WriteString("}\n")
		return nil
	})
	require.NoError(t, err)
	// Event bytes are the caller's to keep: none was overwritten by later lines.
	for _, ev := range kept {
		require.True(t, json.Valid(ev))
	}
	return out.Bytes()
}

func TestReadRoundTrip(t *testing.T) {
	t.Parallel()
	data, _ := sampleData(t)
	require.Equal(t, data, rebuild(t, bytes.NewReader(data)))

	head := data[:bytes.IndexByte(data[64<<10:], '\n')+64<<10+1]
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(head)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.Equal(t, head, rebuild(t, &gz), "gzip is detected by its magic bytes")
}

func TestReadLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      string
		want    []string // source|event
		errLine string   // substring of the error, "" for none
	}{
		{name: "empty", in: ""},
		{name: "blank lines", in: "\n  \n", want: nil},
		{name: "no final newline", in: `{"source":"a","event":{"x":1}}`, want: []string{`a|{"x":1}`}},
		{name: "crlf", in: "{\"source\":\"a\",\"event\":{}}\r\n", want: []string{`a|{}`}},
		{name: "other key order", in: `{"event":{"type":"track"},"source":"nto-web"}` + "\n", want: []string{`nto-web|{"type":"track"}`}},
		{name: "spaces", in: `{ "source" : "b" , "event" : { "a" : [1] } }`, want: []string{`b|{ "a" : [1] }`}},
		{name: "not json", in: "{\"source\":\"a\",\"event\":{}}\nnope\n", errLine: "line 2"},
		{name: "truncated event", in: `{"source":"a","event":{"x":1}` + "\n", errLine: "line 1"},
		{name: "event not object", in: `{"source":"a","event":[1]}`, errLine: "must be a JSON object"},
		{name: "no source", in: `{"event":{}}`, errLine: "missing \"source\""},
		{name: "trailing garbage", in: `{"source":"a","event":{}}}`, errLine: "line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			err := Read(strings.NewReader(tc.in), func(source string, event json.RawMessage) error {
				got = append(got, source+"|"+string(event))
				return nil
			})
			if tc.errLine != "" {
				require.ErrorIs(t, err, ErrMalformedLine)
				require.ErrorContains(t, err, tc.errLine)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestReadLongLines(t *testing.T) {
	t.Parallel()
	big := `{"source":"a","event":{"pad":"` + strings.Repeat("x", 400<<10) + `"}}` + "\n"
	n := 0
	require.NoError(t, Read(strings.NewReader(big+big), func(string, json.RawMessage) error { n++; return nil }))
	require.Equal(t, 2, n, "lines longer than the read buffer")

	huge := `{"source":"a","event":{"pad":"` + strings.Repeat("x", maxLine) + `"}}` + "\n"
	err := Read(strings.NewReader(huge), func(string, json.RawMessage) error { return nil })
	require.ErrorIs(t, err, ErrMalformedLine)
}

func TestReadStopsOnCallbackError(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	n := 0
	err := Read(strings.NewReader("{\"source\":\"a\",\"event\":{}}\n{\"source\":\"a\",\"event\":{}}\n"), func(string, json.RawMessage) error {
		n++
		return stop
	})
	require.ErrorIs(t, err, stop)
	require.Equal(t, 1, n)
}

func TestReadBrokenGzip(t *testing.T) {
	t.Parallel()
	err := Read(bytes.NewReader([]byte{0x1f, 0x8b, 1, 2, 3}), func(string, json.RawMessage) error { return nil })
	require.Error(t, err)
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"source":"nto-web","event":{"type":"track","event":"A"}}` + "\n"))
	f.Add([]byte(`{"event":{},"source":"x"}`))
	f.Add([]byte("\n\n{\"source\":\"a\",\"event\":{\"k\":\"\\\"}\"}}\n"))
	f.Add([]byte(`{"source":"a\",\"event\":{}","event":{}}`))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		_ = Read(bytes.NewReader(in), func(source string, event json.RawMessage) error {
			if source == "" || !json.Valid(event) || event[0] != '{' {
				t.Fatalf("bad line passed on: source %q event %q", source, event)
			}
			var obj map[string]any
			if err := json.Unmarshal(event, &obj); err != nil {
				t.Fatalf("event is not an object: %v", err)
			}
			return nil
		})
	})
}

func BenchmarkRead(b *testing.B) {
	data, _ := generate(b, Config{Customers: 300, Seed: 1, End: testEnd})
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	n := 0
	for b.Loop() {
		require.NoError(b, Read(bytes.NewReader(data), func(string, json.RawMessage) error { n++; return nil }))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
