package httpapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/journey"
)

func mustParse(t *testing.T, def string) *journey.Definition {
	t.Helper()
	d, err := journey.Parse([]byte(def))
	require.NoError(t, err)
	return d
}

func TestDiffJourneys(t *testing.T) {
	t.Parallel()
	base := welcomeDef
	cases := []struct {
		name string
		prev string // "" is the first publish
		next string
		want journeyDiff
	}{
		{"first publish", "", base, journeyDiff{NodesAdded: []string{"hello", "pause", "done"}, NodesRemoved: []string{}, NodesChanged: []string{},
			NameChanged: true, EntryChanged: true}},
		{"identical", base, base, journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{}}},
		{"whitespace only", base, strings.ReplaceAll(base, "\n\t", " "), journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{}}},
		{"v2", base, welcomeV2, journeyDiff{NodesAdded: []string{"tip"}, NodesRemoved: []string{}, NodesChanged: []string{"pause"}}},
		{"back to v1", welcomeV2, base, journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{"tip"}, NodesChanged: []string{"pause"}}},
		{"node order only", base, `{"id":"welcome","name":"Welcome","entry":{"api":{},"next":"hello"},"nodes":[
			{"id":"done","exit":{}},{"id":"pause","delay":{"duration":"1d"},"next":"done"},
			{"id":"hello","message":{"channel":"email","template":"welcome-email"},"next":"pause"}]}`,
			journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{}}},
		{"sections", base, strings.Replace(base, `"entry":{"api":{},"next":"hello"}`,
			`"entry":{"event":{"name":"Signed Up"},"next":"hello"},"reentry":{"mode":"anytime"},"goals":[{"id":"g","event":{"name":"Order Completed"}}],`+
				`"exit_criteria":[{"event":{"name":"Unsubscribed"}}],"settings":{"on_cap":"wait"}`, 1),
			journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{},
				EntryChanged: true, ReEntryChanged: true, GoalsChanged: true, ExitChanged: true, SettingsChanged: true}},
		{"rename", base, strings.Replace(base, `"name":"Welcome"`, `"name":"Hello"`, 1),
			journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{}, NameChanged: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			prev := &journey.Definition{}
			if tc.prev != "" {
				prev = mustParse(t, tc.prev)
			}
			require.Equal(t, tc.want, diffJourneys(prev, mustParse(t, tc.next)))
		})
	}
}

func TestJourneyRequestParse(t *testing.T) {
	t.Parallel()
	yamlDef := "id: welcome\nname: Welcome\nentry: {api: {}, next: hello}\nnodes:\n  - id: hello\n    message: {channel: email, template: welcome-email}\n    next: pause\n" +
		"  - {id: pause, delay: {duration: 1d}, next: done}\n  - {id: done, exit: {}}\n"
	fromJSON, err := (&journeyRequest{Definition: []byte(welcomeDef)}).parse()
	require.NoError(t, err)
	fromYAML, err := (&journeyRequest{YAML: &yamlDef}).parse()
	require.NoError(t, err)
	require.JSONEq(t, string(fromJSON.JSON()), string(fromYAML.JSON()), "both forms give the same canonical definition")
}
