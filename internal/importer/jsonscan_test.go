package importer

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// checkScan compares scanObject with encoding/json's reading of the same object.
func checkScan(tb testing.TB, obj []byte) {
	tb.Helper()
	var want map[string]json.RawMessage
	if len(obj) == 0 || obj[0] != '{' || !utf8.Valid(obj) || json.Unmarshal(obj, &want) != nil {
		return
	}
	got := sortedUnique(scanObject(obj, nil))
	if len(got) != len(want) {
		tb.Fatalf("%s: %d members, encoding/json has %d", obj, len(got), len(want))
	}
	for _, m := range got {
		w, ok := want[string(m.key)]
		if !ok {
			tb.Fatalf("%s: key %q not in encoding/json's reading", obj, m.key)
		}
		var a, b bytes.Buffer
		if json.Compact(&a, m.val) != nil || json.Compact(&b, w) != nil || a.String() != b.String() {
			tb.Fatalf("%s: %q = %s, encoding/json says %s", obj, m.key, m.val, w)
		}
	}
}

func TestScanObject(t *testing.T) {
	t.Parallel()
	for _, obj := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a" : "x,}]\"" , "b":[1,{"c":"]"}],"d":{"e":[]},"f":true,"g":null,"h":-1.5e3}`,
		`{"\u0074ype":"identify","a\"b":1}`, `{"a":1,"a":2}`, "{\"a\":\n1\t,\r\"b\" :{}}",
	} {
		checkScan(t, []byte(obj))
	}
	ms := scanObject([]byte(`{"a":1,"a":2,"b":"x"}`), nil)
	v, ok := lookup(ms, "a")
	require.True(t, ok)
	require.Equal(t, "2", string(v), "the last duplicate wins")
	_, ok = lookup(ms, "c")
	require.False(t, ok)
}

func FuzzScanObject(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":{"b":[1,"}"]},"c":"\\\""}`, `{"\u0061":null,"a":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, obj []byte) {
		checkScan(t, obj)
	})
}
