package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// StateReader is what the processor reads from the state store.
type StateReader interface {
	LookupIdentities(ctx context.Context, keys []store.IdentityKey) ([]store.Identity, error)
	ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error)
	GetProfile(ctx context.Context, id string) (store.Profile, error)
	ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error)
	ProfilesTraits(ctx context.Context, profileIDs ...string) ([]store.ProfileTrait, error)
	AccountTraits(ctx context.Context, groupID string) ([]store.Trait, error)
}

// graph is the identity graph as the resolver sees it: committed state
// overlaid with the working set of the current batch.
type graph struct {
	st      StateReader
	c       *cache
	b       *batch
	looked  map[store.IdentityKey]bool // keys already fetched from the store (found or not)
	idsLoad map[string]bool            // profiles whose identities were loaded
}

func newGraph(st StateReader, c *cache, b *batch) *graph {
	return &graph{st: st, c: c, b: b, looked: map[store.IdentityKey]bool{}, idsLoad: map[string]bool{}}
}

// prefetch loads the given keys from the store in one call.
func (g *graph) prefetch(ctx context.Context, keys []store.IdentityKey) error {
	var need []store.IdentityKey
	for _, k := range keys {
		if g.looked[k] {
			continue
		}
		g.looked[k] = true
		if _, ok := g.b.idents[k]; ok {
			continue
		}
		if id, ok := g.c.idents.get(k); ok {
			g.b.idents[k] = id
			continue
		}
		need = append(need, k)
	}
	if len(need) == 0 {
		return nil
	}
	found, err := g.st.LookupIdentities(ctx, need)
	if err != nil {
		return fmt.Errorf("look up %d identities: %w", len(need), err)
	}
	for _, id := range found {
		if _, ok := g.b.idents[id.IdentityKey]; !ok {
			g.b.idents[id.IdentityKey] = id
		}
	}
	return nil
}

// Lookup implements identity.Graph.
func (g *graph) Lookup(ctx context.Context, keys []store.IdentityKey) (map[store.IdentityKey]string, error) {
	if err := g.prefetch(ctx, keys); err != nil {
		return nil, err
	}
	out := make(map[store.IdentityKey]string, len(keys))
	for _, k := range keys {
		if id, ok := g.b.idents[k]; ok {
			out[k] = g.b.final(id.ProfileID)
		}
	}
	return out, nil
}

// Identities implements identity.Graph.
func (g *graph) Identities(ctx context.Context, profileID string) ([]store.IdentityKey, error) {
	profileID = g.b.final(profileID)
	if err := g.loadIdentities(ctx, profileID); err != nil {
		return nil, err
	}
	return append([]store.IdentityKey(nil), g.b.identsOf[profileID]...), nil
}

func (g *graph) loadIdentities(ctx context.Context, profileID string) error {
	return g.loadIdentitiesFrom(ctx, profileID, true)
}

// loadIdentitiesFrom loads a profile's identities into the batch. With
// useCache false it reads the store, which puts every identity row into the
// batch — merges need that, so the cache learns every re-pointed key.
func (g *graph) loadIdentitiesFrom(ctx context.Context, profileID string, useCache bool) error {
	if g.idsLoad[profileID] && useCache {
		return nil
	}
	g.idsLoad[profileID] = true
	if keys, ok := g.c.identsOf.get(profileID); ok && useCache {
		have := map[store.IdentityKey]bool{}
		for _, k := range g.b.identsOf[profileID] {
			have[k] = true
		}
		for _, k := range keys {
			if cur, ok := g.b.idents[k]; ok && g.b.final(cur.ProfileID) != profileID {
				continue
			}
			if !have[k] {
				g.b.identsOf[profileID] = append(g.b.identsOf[profileID], k)
			}
		}
		return nil
	}
	rows, err := g.st.ProfileIdentities(ctx, profileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("load identities of profile %s: %w", profileID, err)
	}
	have := map[store.IdentityKey]bool{}
	for _, k := range g.b.identsOf[profileID] {
		have[k] = true
	}
	for _, r := range rows {
		if cur, ok := g.b.idents[r.IdentityKey]; ok && g.b.final(cur.ProfileID) != profileID {
			continue // re-linked within this batch
		}
		if _, ok := g.b.idents[r.IdentityKey]; !ok {
			g.b.idents[r.IdentityKey] = r
			g.looked[r.IdentityKey] = true
		}
		if !have[r.IdentityKey] {
			have[r.IdentityKey] = true
			g.b.identsOf[profileID] = append(g.b.identsOf[profileID], r.IdentityKey)
		}
	}
	return nil
}

// Rank implements identity.Graph: older profiles (earlier first event) rank lower.
func (g *graph) Rank(ctx context.Context, profileID string) (int64, error) {
	p, err := g.profile(ctx, g.b.final(profileID))
	if err != nil {
		return 0, err
	}
	return p.FirstSeen.UnixNano(), nil
}

// profile returns the working copy of a profile, loading it on first use.
func (g *graph) profile(ctx context.Context, id string) (*store.Profile, error) {
	if p, ok := g.b.profiles[id]; ok {
		return p, nil
	}
	if p, ok := g.c.profile(id); ok {
		g.b.loadedProfile(p)
		g.b.profiles[id] = &p
		return &p, nil
	}
	p, err := g.st.GetProfile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load profile %s: %w", id, err)
	}
	g.b.loadedProfile(p)
	g.b.profiles[id] = &p
	return &p, nil
}

// traits returns the working copy of a profile's traits, loading them on first use.
func (g *graph) traits(ctx context.Context, id string) (map[string]store.Trait, error) {
	if t, ok := g.b.traits[id]; ok {
		return t, nil
	}
	if t, ok := g.c.traitsOf(id); ok {
		g.b.traits[id] = t
		return t, nil
	}
	rows, err := g.st.ProfileTraits(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load traits of profile %s: %w", id, err)
	}
	t := make(map[string]store.Trait, len(rows))
	for _, r := range rows {
		t[r.Path] = r
	}
	g.b.traits[id] = t
	return t, nil
}
