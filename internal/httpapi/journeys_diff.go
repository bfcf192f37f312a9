package httpapi

import (
	"bytes"
	"encoding/json"

	"github.com/cairn-cdp/cairn/internal/journey"
)

// journeyDiff is what a publish changed against the previously live
// version (against nothing on the first publish). Nodes are compared by id:
// a node whose id stays but whose content differs is changed.
type journeyDiff struct {
	NodesAdded      []string `json:"nodes_added"`
	NodesRemoved    []string `json:"nodes_removed"`
	NodesChanged    []string `json:"nodes_changed"`
	NameChanged     bool     `json:"name_changed"`
	EntryChanged    bool     `json:"entry_changed"`
	ReEntryChanged  bool     `json:"reentry_changed"`
	GoalsChanged    bool     `json:"goals_changed"`
	ExitChanged     bool     `json:"exit_criteria_changed"`
	SettingsChanged bool     `json:"settings_changed"`
}

// diffJourneys compares two parsed definitions section by section, on
// their canonical JSON.
func diffJourneys(prev, next *journey.Definition) journeyDiff {
	d := journeyDiff{NodesAdded: []string{}, NodesRemoved: []string{}, NodesChanged: []string{}}
	old := make(map[string][]byte, len(prev.Nodes))
	for i := range prev.Nodes {
		old[prev.Nodes[i].ID] = canonical(&prev.Nodes[i])
	}
	seen := make(map[string]bool, len(next.Nodes))
	for i := range next.Nodes {
		n := &next.Nodes[i]
		seen[n.ID] = true
		was, ok := old[n.ID]
		switch {
		case !ok:
			d.NodesAdded = append(d.NodesAdded, n.ID)
		case !bytes.Equal(was, canonical(n)):
			d.NodesChanged = append(d.NodesChanged, n.ID)
		}
	}
	for i := range prev.Nodes {
		if id := prev.Nodes[i].ID; !seen[id] {
			d.NodesRemoved = append(d.NodesRemoved, id)
		}
	}
	d.NameChanged = prev.Name != next.Name || prev.Description != next.Description
	d.EntryChanged = !bytes.Equal(canonical(prev.Entry), canonical(next.Entry))
	d.ReEntryChanged = !bytes.Equal(canonical(prev.ReEntry), canonical(next.ReEntry))
	d.GoalsChanged = !bytes.Equal(canonical(prev.Goals), canonical(next.Goals))
	d.ExitChanged = !bytes.Equal(canonical(prev.Exit), canonical(next.Exit))
	d.SettingsChanged = !bytes.Equal(canonical(prev.Settings), canonical(next.Settings))
	return d
}

// canonical is v's JSON with empty lists and nil equal ("null").
func canonical(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "[]" {
		return []byte("null")
	}
	return b
}
