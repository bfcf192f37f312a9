package journey

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// MigrateInstance moves an active instance of an older version onto version
// to, at the node nodes maps its current node to, keeping everything it
// holds (its timer, the send it waits for, entry properties, arms taken).
// The new node must be of the same kind as the old one, so whatever the
// instance waits for still means the same. It reports false (unchanged)
// for an instance that is not active, already on to or later, or whose
// node is not mapped.
func MigrateInstance(row store.JourneyInstance, from, to *Version, nodes map[string]string, now time.Time) (store.JourneyInstance, bool, error) {
	newID, ok := nodes[row.Node]
	if row.Status != store.InstanceActive || row.Version >= to.Number || !ok {
		return row, false, nil
	}
	oldNode, okOld := from.Def.Node(row.Node)
	newNode, okNew := to.Def.Node(newID)
	if !okOld || !okNew {
		return row, false, fmt.Errorf("migrate instance %s: node %q → %q: not in both versions", row.ID, row.Node, newID)
	}
	if oldNode.Kind() != newNode.Kind() {
		return row, false, fmt.Errorf("migrate instance %s: node %q is a %s, %q a %s: map nodes of the same kind", row.ID, row.Node, oldNode.Kind(), newID, newNode.Kind())
	}
	in, err := loadInst(row)
	if err != nil {
		return row, false, err
	}
	if in.st.Visits == nil {
		in.st.Visits = map[string]int{}
	}
	if row.Node != newID {
		in.st.Visits[newID] = in.st.Visits[row.Node]
		in.st.MigratedFrom = row.Node
	}
	in.row.Version, in.row.Node, in.row.UpdatedAt = to.Number, newID, now
	out, err := in.final()
	if err != nil {
		return row, false, err
	}
	return out, true, nil
}

// ParseMigration reads a node map {"old id": "new id"}.
func ParseMigration(raw json.RawMessage) (map[string]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("migrate: a map of old node id to new node id: %w", err)
	}
	return m, nil
}
