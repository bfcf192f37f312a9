package pipeline

import (
	"maps"
	"slices"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// cache holds committed state the processor recently read or wrote. The
// processor is the only writer of derived state, so a write-through cache
// updated after each successful commit is coherent with the store. Each map
// is generational: when the young generation is full it becomes the old one
// and the previous old one is dropped, which bounds memory without LRU
// bookkeeping on the hot path.
type cache struct {
	limit    int
	idents   gen[store.IdentityKey, store.Identity] // rows as committed, profile id = survivor
	profiles gen[string, store.Profile]
	traits   gen[string, map[string]store.Trait]
	identsOf gen[string, []store.IdentityKey]
	// events holds, per surviving profile, its committed events converted
	// for the evaluator, in event-time order (log order among equal times)
	// — exactly what a fresh read of the timeline would give — so segment
	// and computed-trait evaluation does not re-read a profile's whole
	// history every batch, nor sort it: the evaluator's stable sort by time
	// finds it sorted.
	events gen[string, []segment.Event]
	segs   gen[string, *segState]    // segstate.go
	accs   gen[string, *profileAccs] // computed_fold.go
}

type gen[K comparable, V any] struct {
	young, old map[K]V
	limit      int
	// weigh, when set, also bounds a generation by the total weight of its
	// values (budget): a few long histories cost as much as many short ones.
	weigh  func(V) int
	budget int
	used   int // total weight of young
}

func newGen[K comparable, V any](limit int) gen[K, V] {
	return gen[K, V]{young: map[K]V{}, old: map[K]V{}, limit: limit}
}

func (g *gen[K, V]) get(k K) (V, bool) {
	if v, ok := g.young[k]; ok {
		return v, true
	}
	v, ok := g.old[k]
	if ok {
		g.put(k, v)
	}
	return v, ok
}

// peek is get without refreshing k's generation.
func (g *gen[K, V]) peek(k K) (V, bool) {
	if v, ok := g.young[k]; ok {
		return v, true
	}
	v, ok := g.old[k]
	return v, ok
}

// missing returns the keys of ks the cache does not hold, once each, in
// their first order: what a prefetch has to read.
func (g *gen[K, V]) missing(ks []K) []K {
	var out []K
	seen := make(map[K]bool, len(ks))
	for _, k := range ks {
		if _, ok := g.peek(k); !ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func (g *gen[K, V]) put(k K, v V) {
	w := 0
	if g.weigh != nil {
		if prev, ok := g.young[k]; ok {
			g.used -= g.weigh(prev)
		}
		w = g.weigh(v)
	}
	if len(g.young) >= g.limit || (g.weigh != nil && len(g.young) > 0 && g.used+w > g.budget) {
		g.old, g.young, g.used = g.young, make(map[K]V, min(g.limit/4, len(g.young))), 0
	}
	g.young[k] = v
	g.used += w
}

// putMissing puts v unless k is held already (what was read beside the
// processor yields to what the processor has cached since).
func (g *gen[K, V]) putMissing(k K, v V) {
	if _, ok := g.peek(k); !ok {
		g.put(k, v)
	}
}

func (g *gen[K, V]) del(k K) {
	if prev, ok := g.young[k]; ok && g.weigh != nil {
		g.used -= g.weigh(prev)
	}
	delete(g.young, k)
	delete(g.old, k)
}

func newCache(limit int) *cache {
	if limit <= 0 {
		limit = 100_000
	}
	return &cache{
		limit:    limit,
		idents:   newGen[store.IdentityKey, store.Identity](limit * 2),
		profiles: newGen[string, store.Profile](limit),
		traits:   newGen[string, map[string]store.Trait](limit),
		identsOf: newGen[string, []store.IdentityKey](limit),
		events:   newWeighedGen[string, []segment.Event](min(limit, maxCachedHistories), maxCachedEvents, func(h []segment.Event) int { return len(h) }),
		segs:     newGen[string, *segState](min(limit, maxCachedSegStates)),
		accs:     newGen[string, *profileAccs](min(limit, maxCachedAccs)),
	}
}

// maxCachedHistories and maxCachedEvents bound the event histories kept per
// generation, by profiles and by events: each is a profile's whole history,
// so this cache is the memory-heavy one. An event costs ~0.25 KB: its
// fields and a way to read its body again; only bodies a condition read stay
// (decoded), so the budget is in events, not bytes.
const (
	maxCachedHistories = 20_000
	maxCachedEvents    = 600_000
)

// maxCachedSegStates bounds the cached segment states per generation (a
// membership set and timers each, segstate.go).
const maxCachedSegStates = 20_000

// maxCachedAccs bounds the computed-trait accumulators per generation: ~0.7
// KB per customer with the five built-in traits, so at most ~140 MB over
// both generations. Half as many made a drain over 100k customers 15 %
// slower (BENCHMARKS.md, "Processing alone"): the accumulators replace the
// histories, which cost more per customer.
const maxCachedAccs = 100_000

func newWeighedGen[K comparable, V any](limit, budget int, weigh func(V) int) gen[K, V] {
	g := newGen[K, V](limit)
	g.weigh, g.budget = weigh, budget
	return g
}

// reset forgets everything (after erasure or a state reset).
func (c *cache) reset() { *c = *newCache(c.limit) }

// profile returns a copy safe to mutate.
func (c *cache) profile(id string) (store.Profile, bool) {
	p, ok := c.profiles.get(id)
	if ok {
		p.Sources, p.Channels = slices.Clone(p.Sources), slices.Clone(p.Channels)
	}
	return p, ok
}

// traitsOf returns a copy safe to mutate.
func (c *cache) traitsOf(id string) (map[string]store.Trait, bool) {
	t, ok := c.traits.get(id)
	if !ok {
		return nil, false
	}
	return maps.Clone(t), true
}

// commit records the batch's effects after the store accepted them.
func (c *cache) commit(b *batch) {
	for k, id := range b.idents {
		id.ProfileID = b.final(id.ProfileID)
		c.idents.put(k, id)
	}
	for id, p := range b.profiles {
		cp := *p
		cp.Sources, cp.Channels = slices.Clone(p.Sources), slices.Clone(p.Channels)
		c.profiles.put(id, cp)
		if p.MergedInto != "" {
			c.traits.del(id)
			c.identsOf.del(id)
		}
	}
	for id, t := range b.traits {
		if p, ok := b.profiles[id]; ok && p.MergedInto != "" {
			continue
		}
		c.traits.put(id, maps.Clone(t))
	}
	for id, keys := range b.identsOf {
		if b.final(id) != id {
			continue
		}
		c.identsOf.put(id, slices.Clone(keys))
	}
	// Histories: keep the ones the batch built in full; drop every other
	// profile the batch touched or merged, whose cached history is now stale.
	for _, e := range b.timeline {
		c.events.del(e.ProfileID)
		c.events.del(b.final(e.ProfileID))
	}
	for id := range b.profiles {
		c.events.del(id)
	}
	for id, evs := range b.events {
		if b.final(id) == id {
			c.events.put(id, evs)
		}
	}
	// Computed-trait accumulators: a merge's winner and loser lose theirs
	// (the winner's history changed) unless the batch rebuilt them.
	for _, m := range b.merges {
		c.accs.del(m.Winner)
		c.accs.del(b.final(m.Winner)) // a chain of merges ends at another winner
		c.accs.del(m.Loser)
	}
	for id, p := range b.profiles {
		if p.MergedInto != "" {
			c.accs.del(id)
		}
	}
	for id, pa := range b.accs {
		if b.final(id) == id {
			c.accs.put(id, pa)
		}
	}
}
