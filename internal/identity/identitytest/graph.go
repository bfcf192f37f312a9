// Package identitytest provides an in-memory identity.Graph that applies
// identity.Decisions the way the processor does, for tests of the identity
// engine and of its callers.
package identitytest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Graph is an in-memory identity graph. The zero value is not usable; call
// New. It is safe for concurrent use.
type Graph struct {
	mu         sync.Mutex
	owner      map[store.IdentityKey]string   // key → surviving profile
	ids        map[string][]store.IdentityKey // surviving profile → keys
	rank       map[string]int64
	mergedInto map[string]string

	// Err, when set, is returned by every read (to test error paths).
	Err error
	// Calls counts reads by method name (Lookup, Identities, Rank).
	Calls map[string]int
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{
		owner:      make(map[store.IdentityKey]string),
		ids:        make(map[string][]store.IdentityKey),
		rank:       make(map[string]int64),
		mergedInto: make(map[string]string),
		Calls:      make(map[string]int),
	}
}

// Lookup implements identity.Graph.
func (g *Graph) Lookup(_ context.Context, keys []store.IdentityKey) (map[store.IdentityKey]string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Calls["Lookup"]++
	if g.Err != nil {
		return nil, g.Err
	}
	out := make(map[store.IdentityKey]string, len(keys))
	for _, k := range keys {
		if p, ok := g.owner[k]; ok {
			out[k] = p
		}
	}
	return out, nil
}

// Identities implements identity.Graph.
func (g *Graph) Identities(_ context.Context, profileID string) ([]store.IdentityKey, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Calls["Identities"]++
	if g.Err != nil {
		return nil, g.Err
	}
	if _, ok := g.rank[profileID]; !ok || g.mergedInto[profileID] != "" {
		return nil, fmt.Errorf("profile %s: %w", profileID, store.ErrNotFound)
	}
	return slices.Clone(g.ids[profileID]), nil
}

// Rank implements identity.Graph.
func (g *Graph) Rank(_ context.Context, profileID string) (int64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Calls["Rank"]++
	if g.Err != nil {
		return 0, g.Err
	}
	r, ok := g.rank[profileID]
	if !ok {
		return 0, fmt.Errorf("profile %s: %w", profileID, store.ErrNotFound)
	}
	return r, nil
}

// Apply applies d, decided for the event at log position seq: it creates
// the profile, re-points the identifiers of merged profiles to the survivor
// and links the new identifiers. It checks that d is consistent with the
// graph; after an error the graph may be partly updated.
func (g *Graph) Apply(d identity.Decision, seq int64) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, exists := g.rank[d.ProfileID]
	switch {
	case d.Created && exists:
		return fmt.Errorf("apply: created profile %s already exists", d.ProfileID)
	case !d.Created && (!exists || g.mergedInto[d.ProfileID] != ""):
		return fmt.Errorf("apply: target profile %s is not a surviving profile", d.ProfileID)
	case d.Created:
		g.rank[d.ProfileID] = seq
	}
	for _, loser := range d.Merged {
		if _, ok := g.rank[loser]; !ok || g.mergedInto[loser] != "" || loser == d.ProfileID {
			return fmt.Errorf("apply: merged profile %s is not a surviving profile", loser)
		}
		for _, k := range g.ids[loser] {
			g.owner[k] = d.ProfileID
		}
		g.ids[d.ProfileID] = append(g.ids[d.ProfileID], g.ids[loser]...)
		delete(g.ids, loser)
		g.mergedInto[loser] = d.ProfileID
	}
	for _, k := range d.Link {
		if p, ok := g.owner[k]; ok {
			return fmt.Errorf("apply: %s:%s is already linked to %s", k.Type, k.Value, p)
		}
		g.owner[k] = d.ProfileID
		g.ids[d.ProfileID] = append(g.ids[d.ProfileID], k)
	}
	for _, k := range d.Keys {
		if g.owner[k] != d.ProfileID {
			return fmt.Errorf("apply: %s:%s resolves to %q, not %s", k.Type, k.Value, g.owner[k], d.ProfileID)
		}
	}
	return nil
}

// Resolve follows MergedInto from a profile id to its survivor.
func (g *Graph) Resolve(profileID string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.mergedInto[profileID] != "" {
		profileID = g.mergedInto[profileID]
	}
	return profileID
}

// Owner returns the surviving profile holding k, or "".
func (g *Graph) Owner(k store.IdentityKey) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.owner[k]
}

// Profiles returns the surviving profiles and their identifiers, each list
// sorted by (type, value).
func (g *Graph) Profiles() map[string][]store.IdentityKey {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string][]store.IdentityKey, len(g.ids))
	for p, ids := range g.ids {
		ids = slices.Clone(ids)
		slices.SortFunc(ids, compareKey)
		out[p] = ids
	}
	return out
}

// Partition returns the grouping of identifiers into profiles without the
// profile ids, as canonical strings ("type:value" joined by ", "), sorted;
// two graphs group identifiers alike exactly when their partitions are equal.
func (g *Graph) Partition() []string {
	profiles := g.Profiles()
	out := make([]string, 0, len(profiles))
	for _, ids := range profiles {
		if len(ids) == 0 {
			continue
		}
		parts := make([]string, len(ids))
		for i, k := range ids {
			parts[i] = k.Type + ":" + k.Value
		}
		out = append(out, strings.Join(parts, ", "))
	}
	slices.Sort(out)
	return out
}

func compareKey(a, b store.IdentityKey) int {
	return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value))
}

var _ identity.Graph = (*Graph)(nil)
