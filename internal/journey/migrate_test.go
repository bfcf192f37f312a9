package journey

import (
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func TestMigrateInstanceToANewVersion(t *testing.T) {
	t.Parallel()
	v1src := `{"id":"p","name":"P","entry":{"event":{"name":"Go"},"next":"d"},"nodes":[{"id":"d","delay":{"duration":"1h"},"next":"m"},{"id":"m","message":{"channel":"email","template":"v1"}}]}`
	v2src := `{"id":"p","name":"P","entry":{"event":{"name":"Go"},"next":"hold"},"nodes":[{"id":"hold","delay":{"duration":"2h"},"next":"m2"},{"id":"m2","message":{"channel":"email","template":"v2"}}]}`
	parse := func(src string) *Definition {
		d, err := ParseJSON([]byte(src))
		require.NoError(t, err)
		require.NoError(t, d.Validate(nil))
		return d
	}
	v1 := &Version{JourneyID: "p", Number: 1, Def: parse(v1src)}
	v2 := &Version{JourneyID: "p", Number: 2, Def: parse(v2src)}
	h := newHarness(t, v1src)
	h.event(t0, "Go", nil, false)
	row := h.only()

	_, _, err := MigrateInstance(row, v1, v2, map[string]string{"d": "m2"}, t0)
	require.ErrorContains(t, err, "same kind")
	same, changed, err := MigrateInstance(row, v1, v2, map[string]string{"x": "hold"}, t0)
	require.NoError(t, err)
	require.False(t, changed)
	require.Equal(t, row, same)

	moved, changed, err := MigrateInstance(row, v1, v2, map[string]string{"d": "hold"}, t0.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, 2, moved.Version)
	require.Equal(t, "hold", moved.Node)
	h.rows[row.ID] = moved
	h.cat = NewCatalog([]store.Journey{{ID: "p", Status: store.JourneyLive, LiveVersion: 2}}, []*Version{v1, v2})

	// The timer set under version 1 (1h) still fires, and the instance
	// continues on version 2.
	fx := h.fire(t0.Add(time.Hour))
	require.Len(t, fx.Sends, 1)
	require.Equal(t, "v2", fx.Sends[0].TemplateID)
	require.Equal(t, 2, fx.Sends[0].Version)
}

func TestDecideWinner(t *testing.T) {
	t.Parallel()
	e := &Experiment{Variants: []WeightedPath{{ID: "A"}, {ID: "B"}, {ID: "C"}}, Control: &WeightedPath{}}
	tests := []struct {
		name string
		arms map[string]*Arm
		want string
		ok   bool
	}{
		{"best rate wins", map[string]*Arm{"A": {Entered: 100, Converted: 5}, "B": {Entered: 50, Converted: 5}, "control": {Entered: 10, Converted: 9}}, "B", true},
		{"ties go to the earlier variant", map[string]*Arm{"A": {Entered: 10, Converted: 1}, "C": {Entered: 20, Converted: 2}}, "A", true},
		{"an arm nobody entered cannot win", map[string]*Arm{"A": {Entered: 10, Converted: 0}, "B": {}}, "A", true},
		{"no entries, no winner", map[string]*Arm{"control": {Entered: 3}}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := DecideWinner(e, tc.arms)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
