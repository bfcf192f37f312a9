package pipeline

import (
	"github.com/cairn-cdp/cairn/internal/event"
	"slices"
	"sort"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// lastSeenGranularity is how far an identity's last_seen may lag: an event
// that moves it forward by less does not rewrite the identity row. Profiles'
// own first/last seen stay exact; this saves one random page write per event.
const lastSeenGranularity = time.Hour

// batch is the in-memory working set of one processor batch. Everything is
// keyed by profile id as it was when written; flush maps ids through the
// merges made inside the batch before building the store.ProcessBatch.
type batch struct {
	checkpoint int64
	mergedInto map[string]string   // in-batch merges: loser → winner
	losers     map[string][]string // winner → losers, built by losersOf
	losersAt   int                 // len(mergedInto) when losers was built

	profiles  map[string]*store.Profile
	loaded    map[string]store.Profile          // committed profiles as read (slices cloned): build writes only those that changed
	created   map[string]bool                   // profiles created in this batch: nothing committed yet
	traits    map[string]map[string]store.Trait // profile → path → trait (full current view of touched profiles)
	dirty     map[string]map[string]bool        // profile → path → changed
	deleted   map[string]map[string]bool        // profile → path → delete
	idents    map[store.IdentityKey]store.Identity
	identMod  map[store.IdentityKey]bool     // identities whose row changes in this batch
	identsOf  map[string][]store.IdentityKey // profile → keys (loaded or linked)
	timeline  []store.TimelineEntry
	merges    []store.Merge
	accounts  map[string]*store.Account
	acctTrait map[string]map[string]store.Trait
	acctDirty map[string]map[string]bool
	members   map[[2]string]store.Membership
	rejects   []store.Rejection // events that could not be attributed
	erase     []int64           // log entries of erased people to remove

	// Real-time segments (segments_*.go).
	touches  []segTouch                     // applied events with their profile, in order
	internal map[int64]string               // log seq → profile id of events of the internal source
	seg      *segOut                        // memberships and timers decided for this batch
	events   map[string][]segment.Event     // profile → committed plus batch events, built once (computed_batch.go)
	segEvs   map[*event.Event]segment.Event // the batch's events as the engine sees them, converted once (segEvent)
	jour     *jourOut                       // journey instances, timers, sends and events (journeys*.go)
	// compTimers are the next-change timers of computed traits: (profile,
	// trait) → when the value changes by itself; zero deletes (computed_timers.go).
	compTimers map[[2]string]time.Time
	comp       *compPlan               // the computed traits touched profiles update (computed_fold.go)
	accs       map[string]*profileAccs // accumulators to cache once the batch commits
}

func newBatch() *batch {
	return &batch{
		mergedInto: map[string]string{},
		profiles:   map[string]*store.Profile{},
		loaded:     map[string]store.Profile{},
		created:    map[string]bool{},
		traits:     map[string]map[string]store.Trait{},
		dirty:      map[string]map[string]bool{},
		deleted:    map[string]map[string]bool{},
		idents:     map[store.IdentityKey]store.Identity{},
		identMod:   map[store.IdentityKey]bool{},
		identsOf:   map[string][]store.IdentityKey{},
		accounts:   map[string]*store.Account{},
		acctTrait:  map[string]map[string]store.Trait{},
		acctDirty:  map[string]map[string]bool{},
		members:    map[[2]string]store.Membership{},
		internal:   map[int64]string{},
	}
}

// final follows in-batch merges to the surviving profile id.
func (b *batch) final(id string) string {
	for {
		next, ok := b.mergedInto[id]
		if !ok {
			return id
		}
		id = next
	}
}

// losersOf lists, sorted, the profiles merged into id (finally) in this
// batch. The index is built once per set of merges, not per call: walking
// every merge for every touched profile was quadratic on merge-heavy
// batches (the demo's anonymous visitors signing up).
func (b *batch) losersOf(id string) []string {
	if b.losers == nil || b.losersAt != len(b.mergedInto) {
		b.losers, b.losersAt = map[string][]string{}, len(b.mergedInto)
		for pid := range b.mergedInto {
			if _, ok := b.profiles[pid]; ok {
				w := b.final(pid)
				b.losers[w] = append(b.losers[w], pid)
			}
		}
		for _, l := range b.losers {
			slices.Sort(l)
		}
	}
	return b.losers[id]
}

// loadedProfile notes p, a committed profile just read into the batch, as
// it was (its slices copied: the batch may change them in place).
func (b *batch) loadedProfile(p store.Profile) {
	p.Sources, p.Channels = slices.Clone(p.Sources), slices.Clone(p.Channels)
	b.loaded[p.ID] = p
}

// sameProfile reports whether a and b hold the same row.
func sameProfile(a, b store.Profile) bool {
	return a.ID == b.ID && a.MergedInto == b.MergedInto && a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen) &&
		a.EventCount == b.EventCount && slices.Equal(a.Sources, b.Sources) && slices.Equal(a.Channels, b.Channels)
}

func mark(m map[string]map[string]bool, id, path string) {
	if m[id] == nil {
		m[id] = map[string]bool{}
	}
	m[id][path] = true
}

// build turns the working set into the store's one-transaction batch.
func (b *batch) build() *store.ProcessBatch {
	pb := &store.ProcessBatch{Checkpoint: b.checkpoint, Merges: b.merges}
	ids := sortedKeys(b.profiles)
	// Sized up front: a batch of 20k events lists tens of thousands of
	// rows, and growing the lists was half of building them.
	dirty := 0
	for _, paths := range b.dirty {
		dirty += len(paths)
	}
	pb.Profiles = make([]store.Profile, 0, len(ids))
	pb.Traits = make([]store.ProfileTrait, 0, dirty)
	pb.Identities = make([]store.Identity, 0, len(b.identMod))
	pb.Timeline = make([]store.TimelineEntry, 0, len(b.timeline))
	for _, id := range ids {
		// A profile only read (the processor's own events attach to it,
		// a journey reads it) is not written back: a burst of 100k
		// Segment Exited events rewrote 100k unchanged rows.
		if was, ok := b.loaded[id]; ok && sameProfile(was, *b.profiles[id]) {
			continue
		}
		pb.Profiles = append(pb.Profiles, *b.profiles[id])
	}
	for _, id := range ids {
		if b.profiles[id].MergedInto != "" {
			continue // its traits were folded into the winner; the store deletes its rows
		}
		for _, path := range sortedKeys(b.dirty[id]) {
			pb.Traits = append(pb.Traits, store.ProfileTrait{ProfileID: id, Trait: b.traits[id][path]})
		}
		for _, path := range sortedKeys(b.deleted[id]) {
			pb.TraitDeletes = append(pb.TraitDeletes, store.ProfileTrait{ProfileID: id, Trait: store.Trait{Path: path}})
		}
	}
	keys := make([]store.IdentityKey, 0, len(b.identMod))
	for k := range b.identMod {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Type != keys[j].Type {
			return keys[i].Type < keys[j].Type
		}
		return keys[i].Value < keys[j].Value
	})
	for _, k := range keys {
		id := b.idents[k]
		id.ProfileID = b.final(id.ProfileID)
		pb.Identities = append(pb.Identities, id)
	}
	for _, e := range b.timeline {
		e.ProfileID = b.final(e.ProfileID)
		pb.Timeline = append(pb.Timeline, e)
	}
	for _, g := range sortedKeys(b.accounts) {
		pb.Accounts = append(pb.Accounts, *b.accounts[g])
		for _, path := range sortedKeys(b.acctDirty[g]) {
			pb.AccountTraits = append(pb.AccountTraits, store.AccountTrait{GroupID: g, Trait: b.acctTrait[g][path]})
		}
	}
	seen := map[[2]string]bool{}
	for _, k := range sortedMemberKeys(b.members) {
		m := b.members[k]
		m.ProfileID = b.final(m.ProfileID)
		if seen[[2]string{m.ProfileID, m.GroupID}] {
			continue
		}
		seen[[2]string{m.ProfileID, m.GroupID}] = true
		pb.Memberships = append(pb.Memberships, m)
	}
	if b.seg != nil {
		b.seg.fill(pb)
	}
	b.jour.fill(pb)
	fillComputedTimers(b.compTimers, pb)
	return pb
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedMemberKeys(m map[[2]string]store.Membership) [][2]string {
	out := make([][2]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}
