package importer

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func ids(tb testing.TB, in string, spec Spec) []string {
	tb.Helper()
	g := readAll(tb, []byte(in), spec)
	require.NoError(tb, g.err)
	require.Empty(tb, g.rejects)
	out := make([]string, len(g.rows))
	for i, r := range g.rows {
		out[i] = messageID(tb, r.Event)
	}
	return out
}

func TestMessageIDsAreDeterministic(t *testing.T) {
	t.Parallel()
	spec := Spec{SourceName: "crm", IDColumn: "id", Map: map[string]string{"Email": "email", "Plan": "plan"}}
	base := "id,Email,Plan\nu1,a@x.io,gold\nu2,b@x.io,silver\nu3,c@x.io,gold\n"
	first := ids(t, base, spec)
	require.Len(t, first, 3)
	require.Len(t, map[string]bool{first[0]: true, first[1]: true, first[2]: true}, 3, "distinct rows, distinct ids")

	t.Run("same file again", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, first, ids(t, base, spec))
	})
	t.Run("a row inserted keeps the other ids", func(t *testing.T) {
		t.Parallel()
		got := ids(t, "id,Email,Plan\nu0,z@x.io,new\nu1,a@x.io,gold\nu2,b@x.io,silver\nu3,c@x.io,gold\n", spec)
		require.Equal(t, first, got[1:])
		require.NotContains(t, first, got[0])
	})
	t.Run("columns reordered, quoted, CRLF, gzip: same ids", func(t *testing.T) {
		t.Parallel()
		in := "Plan,\"Email\",id,Unmapped\r\ngold,a@x.io,\"u1\",x\r\nsilver,b@x.io,u2,y\r\ngold,\"c@x.io\",u3,z\r\n"
		require.Equal(t, first, ids(t, in, spec))
		g := readAll(t, gz(t, []byte(base)), spec)
		require.NoError(t, g.err)
		require.Equal(t, first[2], messageID(t, g.rows[2].Event))
	})
	t.Run("same row twice is the same event", func(t *testing.T) {
		t.Parallel()
		got := ids(t, base+"u1,a@x.io,gold\n", spec)
		require.Equal(t, got[0], got[3])
	})
	t.Run("a changed value is a new event", func(t *testing.T) {
		t.Parallel()
		got := ids(t, "id,Email,Plan\nu1,a@x.io,platinum\n", spec)
		require.NotEqual(t, first[0], got[0])
	})
	t.Run("another source or kind gives other ids", func(t *testing.T) {
		t.Parallel()
		other := spec
		other.SourceName = "crm2"
		require.NotEqual(t, first, ids(t, base, other))
		track := spec
		track.Event = "Plan Changed"
		require.NotEqual(t, first, ids(t, base, track))
	})
	t.Run("a changed mapping is a new event", func(t *testing.T) {
		t.Parallel()
		remapped := spec
		remapped.Map = map[string]string{"Email": "email", "Plan": "tier"}
		require.NotEqual(t, first, ids(t, base, remapped))
	})
}

func TestMessageIDsJSONLFullEvents(t *testing.T) {
	t.Parallel()
	spec := Spec{SourceName: "s"}
	a := ids(t, `{"type":"identify","userId":"u1","traits":{"a":1}}`, spec)
	b := ids(t, "{ \"traits\" : {\"a\":1}, \"userId\":\"u1\", \"type\":\"identify\" }", spec)
	require.Equal(t, a, b, "key order and whitespace do not change the id")
	c := ids(t, `{"type":"identify","userId":"u1","traits":{"a":2}}`, spec)
	require.NotEqual(t, a, c)
	// A flat JSONL row mapped like a CSV row gets the CSV row's id.
	flat := Spec{SourceName: "crm", IDColumn: "id", Map: map[string]string{"Email": "email", "Plan": "plan"}}
	require.Equal(t,
		ids(t, "id,Email,Plan\nu1,a@x.io,gold\n", flat),
		ids(t, `{"Plan":"gold","id":"u1","Email":"a@x.io"}`, flat))
}
