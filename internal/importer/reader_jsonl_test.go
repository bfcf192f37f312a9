package importer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReaderJSONL(t *testing.T) {
	t.Parallel()
	full := Spec{SourceName: "backfill"}
	flat := Spec{SourceName: "vendor", IDColumn: "uid", Map: map[string]string{"age": "age:int", "tags": "tags", "zip": "address.zip:string", "score": "score"}}
	tests := []struct {
		name    string
		spec    Spec
		in      string
		want    []rowWant
		keepIDs []string // messageIds expected verbatim, in row order ("" = generated)
		rejects []rejectWant
	}{
		{
			name:    "full events keep their messageId and JSON",
			spec:    full,
			in:      `{"type":"track","userId":"u1","event":"Signed Up","properties":{"n":1.50},"messageId":"m-1"}` + "\n" + `{ "type" : "alias", "userId" : 7, "previousId":"a-1", "messageId":"m-2" }`,
			want:    []rowWant{{1, `{"type":"track","userId":"u1","event":"Signed Up","properties":{"n":1.50},"messageId":"m-1"}`}, {2, `{"type":"alias","userId":7,"previousId":"a-1","messageId":"m-2"}`}},
			keepIDs: []string{"m-1", "m-2"},
		},
		{
			name: "full events without messageId get one",
			spec: full,
			in:   "\n" + `{"type":"identify","anonymousId":"a1","traits":{"email":"x@y.z"}}` + "\n   \n" + `{"type":"page","userId":"u1","name":"Home","messageId":null}` + "\r\n",
			want: []rowWant{{2, `{"type":"identify","anonymousId":"a1","traits":{"email":"x@y.z"}}`}, {4, `{"type":"page","userId":"u1","name":"Home"}`}},
		},
		{
			name: "full identify with only an email",
			spec: full,
			in:   `{"type":"identify","traits":{"email":"x@y.z"}}` + "\n" + `{"type":"track","event":"E","context":{"traits":{"email":"x@y.z"}}}`,
			want: []rowWant{{1, `{"type":"identify","traits":{"email":"x@y.z"}}`}, {2, `{"type":"track","event":"E","context":{"traits":{"email":"x@y.z"}}}`}},
		},
		{
			name: "full event problems",
			spec: full,
			in: strings.Join([]string{
				`{"type":"identify","userId":"u1"}`,
				`{"type":"identfy","userId":"u1"}`,
				`{"type":"track","userId":"u1"}`,
				`{"type":"track","userId":{"id":1},"event":"E"}`,
				`{"type":"identify","userId":"  "}`,
				`{"type":"alias","userId":"u1"}`,
				`{"type":"group","userId":"u1"}`,
				`{"type":"identify","userId":"u1","timestamp":"01/02/2024"}`,
				`{"type":"identify","userId":"u1","messageId":42}`,
				`{"type":"identify","userId":"u1",}`,
				`["type","identify"]`,
				"{\"type\":\"identify\",\"userId\":\"\xff\"}",
				`{"type":"identify","traits":{"email":7}}`,
			}, "\n"),
			want: []rowWant{{1, `{"type":"identify","userId":"u1"}`}},
			rejects: []rejectWant{
				{2, "type", `"type" must be one of identify, track`},
				{3, "event", `a track event needs "event"`},
				{4, "userId", "missing identifier"},
				{5, "userId", "missing identifier"},
				{6, "previousId", `needs "previousId"`},
				{7, "groupId", `needs "groupId"`},
				{8, "timestamp", "is not RFC 3339"},
				{9, "messageId", "messageId must be a string"},
				{10, "", "invalid JSON: invalid character '}'"},
				{11, "", "not a JSON object"},
				{12, "", "invalid UTF-8"},
				{13, "userId", "missing identifier"},
			},
		},
		{
			name: "flat rows follow the mapping and keep JSON types",
			spec: flat,
			in: `{"uid":123,"age":"42","tags":["a","b"],"zip":2134,"score":{"x": 1},"other":1}` + "\n" +
				`{"uid":"u2","age":7.0,"score":null}` + "\n" +
				`{"uid":"u3","age":"old"}` + "\n" +
				`{"uid":null}` + "\n" +
				`{"uid":{"a":1}}` + "\n" +
				`{"type":"customer","uid":"u4"}`,
			want: []rowWant{
				{1, `{"type":"identify","userId":"123","traits":{"address":{"zip":"2134"},"age":42,"score":{"x":1},"tags":["a","b"]}}`},
				{2, `{"type":"identify","userId":"u2","traits":{"age":7,"score":null}}`},
				{6, `{"type":"identify","userId":"u4"}`},
			},
			rejects: []rejectWant{
				{3, "age", `"old" is not an integer`},
				{4, "uid", "missing id"},
				{5, "uid", "the id holds a JSON object"},
			},
		},
		{
			name: "flat rows without a map keep every key",
			spec: Spec{SourceName: "s", IDColumn: "email", IDType: IDEmail, Kind: KindTrack, EventColumn: "ev", TimestampColumn: "ts"},
			in:   `{"email":"a@x.io","ev":"Opened","ts":1714571100,"campaign":{"id":9},"n":1}`,
			want: []rowWant{{1, `{"type":"track","event":"Opened","properties":{"campaign":{"id":9},"n":1},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T13:45:00Z"}`}},
		},
		{
			name: "full events and flat rows mixed",
			spec: flat,
			in:   `{"type":"identify","userId":"u1","messageId":"m"}` + "\n" + `{"uid":"u2"}`,
			want: []rowWant{
				{1, `{"type":"identify","userId":"u1","messageId":"m"}`},
				{2, `{"type":"identify","userId":"u2"}`},
			},
			keepIDs: []string{"m", ""},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := readAll(t, []byte(tc.in), tc.spec)
			require.NoError(t, g.err)
			require.Len(t, g.rows, len(tc.want))
			for i, w := range tc.want {
				require.Equal(t, w.line, g.rows[i].Line)
				require.JSONEq(t, w.event, norm(t, g.rows[i].Event))
				if tc.keepIDs != nil && tc.keepIDs[i] != "" {
					require.Equal(t, tc.keepIDs[i], messageID(t, g.rows[i].Event))
				}
			}
			checkRejects(t, tc.rejects, g.rejects)
		})
	}
}

func TestReaderJSONLSetupErrors(t *testing.T) {
	t.Parallel()
	g := readAll(t, []byte(`{"uid":"u1","email":"a@x.io"}`+"\n"), Spec{SourceName: "s"})
	require.ErrorIs(t, g.err, ErrInvalidSpec)
	require.ErrorContains(t, g.err, `line 1 has no Segment "type": a flat object needs --id-column`)

	// Once full events were read, a flat line is only a rejected row.
	g = readAll(t, []byte(`{"type":"identify","userId":"u1"}`+"\n"+`{"uid":"u1"}`), Spec{SourceName: "s"})
	require.NoError(t, g.err)
	require.Len(t, g.rows, 1)
	checkRejects(t, []rejectWant{{2, "type", `no "type"`}}, g.rejects)

	g = readAll(t, []byte(` [{"type":"identify"}]`), Spec{SourceName: "s", Format: FormatJSONL})
	require.ErrorIs(t, g.err, ErrInvalidSpec)
	require.ErrorContains(t, g.err, "JSON array")

	g = readAll(t, []byte("\n[{\"type\":\"identify\"}]"), Spec{SourceName: "s"})
	require.ErrorIs(t, g.err, ErrInvalidSpec)
	require.ErrorContains(t, g.err, "jq -c")

	g = readAll(t, nil, Spec{SourceName: "s", Format: FormatJSONL})
	require.NoError(t, g.err)
	require.Empty(t, g.rows)
}

func TestReaderFormatDetection(t *testing.T) {
	t.Parallel()
	r, err := NewReader(strings.NewReader("  \n{\"type\":\"identify\",\"userId\":\"u\"}"), Spec{SourceName: "s"})
	require.NoError(t, err)
	require.Equal(t, FormatJSONL, r.Format())
	require.Nil(t, r.Header())

	r, err = NewReader(strings.NewReader("id,b\n"), Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, err)
	require.Equal(t, FormatCSV, r.Format())
	require.Equal(t, []string{"id", "b"}, r.Header())

	for name, want := range map[string][2]any{
		"a.csv": {FormatCSV, rune(0)}, "A.CSV.GZ": {FormatCSV, rune(0)}, "x.tsv": {FormatCSV, '\t'},
		"e.jsonl.gz": {FormatJSONL, rune(0)}, "e.ndjson": {FormatJSONL, rune(0)}, "data.txt": {"", rune(0)},
	} {
		f, d := FormatFromName(name)
		require.Equal(t, want[0], f, name)
		require.Equal(t, want[1], d, name)
	}
}

func TestReaderGzip(t *testing.T) {
	t.Parallel()
	csv := []byte("id,plan\nu1,gold\nu2,silver\n")
	plain := readAll(t, csv, Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, plain.err)
	zipped := readAll(t, gz(t, csv), Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, zipped.err)
	require.Equal(t, plain.rows, zipped.rows)

	// Concatenated gzip members read as one stream.
	multi := append(gz(t, []byte("id,plan\nu1,gold\n")), gz(t, []byte("u2,silver\n"))...)
	g := readAll(t, multi, Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, g.err)
	require.Equal(t, plain.rows, g.rows)

	// JSONL detected inside gzip.
	g = readAll(t, gz(t, []byte(`{"type":"identify","userId":"u1"}`)), Spec{SourceName: "s"})
	require.NoError(t, g.err)
	require.Len(t, g.rows, 1)

	// A truncated stream: the rows before the cut come out, then a clear error.
	var big []byte
	big = append(big, "id,plan\n"...)
	for i := range 20000 {
		big = append(big, "u"...)
		big = append(big, []byte(strings.Repeat("x", i%7))...)
		big = append(big, ",gold\n"...)
	}
	z := gz(t, big)
	g = readAll(t, z[:len(z)/2], Spec{SourceName: "s", IDColumn: "id"})
	require.ErrorIs(t, g.err, ErrCorruptInput)
	require.ErrorContains(t, g.err, "gzip stream is truncated or damaged after line")
	require.NotEmpty(t, g.rows)

	// A damaged header, and a good header followed by garbage.
	g = readAll(t, []byte{0x1f, 0x8b, 0, 0}, Spec{SourceName: "s", IDColumn: "id"})
	require.ErrorIs(t, g.err, ErrCorruptInput)
	garbage := append(gz(t, nil)[:10], "not deflate data at all"...)
	g = readAll(t, garbage, Spec{SourceName: "s", IDColumn: "id"})
	require.ErrorIs(t, g.err, ErrCorruptInput)
	require.ErrorContains(t, g.err, "damaged at the start")
}
