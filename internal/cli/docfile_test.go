package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDoc(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ext, in string
		wantJSON      string // compact JSON on success
		wantYAML      bool
		wantID        string
		wantErr       string
	}{
		{name: "json object", ext: ".json", in: ` {"id":"a","n":1} `, wantJSON: `{"id":"a","n":1}`, wantID: "a"},
		{name: "yaml mapping", ext: ".yaml", in: "id: a\nn: 1\nlist: [x, 2]\n", wantJSON: `{"id":"a","list":["x",2],"n":1}`, wantYAML: true, wantID: "a"},
		{name: "yaml keeps date-like strings", ext: ".yml", in: "id: d\nat: 2026-01-02\n", wantJSON: `{"at":"2026-01-02","id":"d"}`, wantYAML: true, wantID: "d"},
		{name: "numeric id is no id", ext: ".json", in: `{"id":7}`, wantJSON: `{"id":7}`},
		{name: "empty", ext: ".json", in: " \n", wantErr: "f.json is empty"},
		{name: "json syntax", ext: ".json", in: "{\n\"a\": tru\n}", wantErr: "f.json is not valid JSON: line 2, column"},
		{name: "json trailing data", ext: ".json", in: `{} {}`, wantErr: "f.json is not valid JSON: line 1, column"},
		{name: "json string", ext: ".json", in: `"x"`, wantErr: "f.json holds a string; it should hold one JSON object"},
		{name: "yaml scalar", ext: ".yaml", in: "hello\n", wantErr: "the document is a string"},
		{name: "yaml non-string key", ext: ".yaml", in: "1: x\n", wantErr: "a key is not a string"},
		{name: "yaml nested non-string key", ext: ".yaml", in: "a:\n  1: x\n", wantErr: "line 2: a key is not a string"},
		{name: "yaml duplicate key", ext: ".yaml", in: "a: 1\na: 2\n", wantErr: `line 2: key "a" appears twice`},
		{name: "yaml merge keys", ext: ".yaml", in: "base: &b {x: 1, y: 2}\nid: m\nc:\n  <<: *b\n  y: 3\n",
			wantJSON: `{"base":{"x":1,"y":2},"id":"m","c":{"x":1,"y":3}}`, wantYAML: true, wantID: "m"},
		{name: "yaml null document", ext: ".yaml", in: "# nothing\n~\n", wantErr: "the document is null"},
		{name: "yaml two documents", ext: ".yaml", in: "a: 1\n---\nb: 2\n", wantErr: "more than one document"},
		{name: "yaml syntax", ext: ".yaml", in: "a: [\n", wantErr: "f.yaml is not a valid YAML definition: yaml: line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := parseDoc("f"+tc.ext, tc.ext, []byte(tc.in))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.JSONEq(t, tc.wantJSON, string(d.json))
			require.Equal(t, tc.wantYAML, d.yaml != "")
			require.Equal(t, tc.wantID, d.id())
		})
	}
}

func TestLineCol(t *testing.T) {
	t.Parallel()
	in := []byte("ab\ncd\n")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {1, 1, 1}, {2, 1, 2}, {3, 1, 3}, {4, 2, 1}, {5, 2, 2}, {99, 3, 1}, {-1, 1, 1}} {
		line, col := lineCol(in, tc.off)
		require.Equal(t, []int{tc.line, tc.col}, []int{line, col}, "offset %d", tc.off)
	}
}

func FuzzParseDoc(f *testing.F) {
	f.Add(".json", `{"id":"a"}`)
	f.Add(".json", "{\n\"a\": }")
	f.Add(".yaml", "id: a\nnodes:\n  - {id: x, exit: {}}\n")
	f.Add(".yaml", "1: x\n")
	f.Add(".yml", "a: &x [1]\nb: *x\n")
	f.Fuzz(func(t *testing.T, ext, in string) {
		if ext != ".json" && ext != ".yaml" && ext != ".yml" {
			ext = ".yaml"
		}
		d, err := parseDoc("f"+ext, ext, []byte(in))
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "f"+ext), "every error names the file: %v", err)
			return
		}
		var v map[string]any
		require.NoError(t, json.Unmarshal(d.json, &v), "a parsed document is one JSON object")
		_ = d.id()
	})
}
