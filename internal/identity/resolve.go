package identity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Graph is the processor's read view of the identity graph, including the
// effects of the events it has resolved but not yet written.
type Graph interface {
	// Lookup returns the current profile id (merges already followed) of
	// each key that is linked; unknown keys are absent from the map.
	Lookup(ctx context.Context, keys []store.IdentityKey) (map[store.IdentityKey]string, error)
	// Identities returns every identifier linked to a surviving profile.
	Identities(ctx context.Context, profileID string) ([]store.IdentityKey, error)
	// Rank returns the creation order of a profile: the log Seq of the event
	// that created it. Lower is older.
	Rank(ctx context.Context, profileID string) (int64, error)
}

// Decision is what Resolve decided for one event. Applying it: merge every
// profile of Merges into ProfileID (their identifiers now resolve to
// ProfileID and the processor records MergedInto), then link Link to
// ProfileID, then record Merges and Refused with the event's messageId and
// time. Keys and Link may share memory with Resolve's keys argument.
type Decision struct {
	ProfileID string // the profile the event belongs to
	Created   bool   // ProfileID is the newProfileID passed to Resolve
	// Keys are the event's identifiers kept (previous_id resolved, Dropped
	// removed), sorted by priority; after applying they all resolve to
	// ProfileID. Use them to refresh last_seen.
	Keys []store.IdentityKey
	// Link are the Keys no profile held before: link them to ProfileID.
	Link []store.IdentityKey
	// Merged are the ids of the profiles merged into ProfileID, sorted.
	Merged []string
	// Merges has one entry per Merged id (same order): Winner = ProfileID,
	// Loser = the merged id, Via = the event's identifiers that pointed at it.
	Merges []store.Merge
	// Refused are the merges and links not done because of a limit, with
	// Refused = true, Winner = ProfileID, Reason, and Dropped = Via = the
	// event's identifiers that pointed at Loser. A refused link of a new
	// identifier has an empty Loser and no Via.
	Refused []store.Merge
	// Dropped are the identifiers removed from the event by refusals, sorted.
	Dropped []store.IdentityKey
}

// Resolver applies a Config's merge protection. It is safe for concurrent use.
type Resolver struct {
	cfg     Config
	limited bool // some type has a limit
}

// NewResolver validates c and returns a Resolver using it.
func NewResolver(c Config) (*Resolver, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	r := &Resolver{cfg: c, limited: c.Custom.Limit > 0}
	for _, rule := range c.Rules {
		r.limited = r.limited || rule.Limit > 0
	}
	return r, nil
}

// Config returns the resolver's configuration.
func (r *Resolver) Config() Config { return r.cfg }

// Resolve decides which profile the event with the given identifiers (as
// Extract returns them) belongs to. newProfileID is used when no identifier
// is known. Identifiers are processed in priority order: each one that
// points at another profile merges that profile in, unless the merged
// profile would hold more distinct values of a type than its Limit; then the
// merge is refused and that identifier is dropped from the event. A new
// identifier whose link alone would exceed its limit is dropped too. The
// survivor of a merge is the oldest profile (lowest Rank, then lowest id).
//
// A TypePreviousID key is resolved as a user_id when a profile holds that
// user_id or the event itself carries it, else as an anonymous_id; it is
// processed after the other identifiers of the same priority.
//
// It returns ErrNoIdentifiers when keys is empty.
func (r *Resolver) Resolve(ctx context.Context, g Graph, keys []store.IdentityKey, newProfileID string) (Decision, error) {
	if len(keys) == 0 {
		return Decision{}, ErrNoIdentifiers
	}
	lookup, hasPrev := keys, false
	for _, k := range keys {
		if k.Type == TypePreviousID {
			hasPrev = true
			break
		}
	}
	if hasPrev {
		lookup = make([]store.IdentityKey, 0, len(keys)+1)
		for _, k := range keys {
			if k.Type == TypePreviousID {
				lookup = append(lookup,
					store.IdentityKey{Type: TypeUserID, Value: k.Value},
					store.IdentityKey{Type: TypeAnonymousID, Value: k.Value})
				continue
			}
			lookup = append(lookup, k)
		}
	}
	owners, err := g.Lookup(ctx, lookup)
	if err != nil {
		return Decision{}, fmt.Errorf("look up %d identifiers: %w", len(lookup), err)
	}
	work := keys
	switch {
	case hasPrev:
		work = r.resolvePrevious(keys, owners)
	case !slices.IsSortedFunc(keys, r.cfg.compareKeys) || hasAdjacentDup(keys):
		work = r.cfg.sortKeys(slices.Clone(keys))
	}
	res := resolution{r: r, g: g, owners: owners}
	return res.run(ctx, work, newProfileID)
}

// resolvePrevious returns keys with each previous_id replaced by a user_id
// or an anonymous_id, sorted with those after the other keys of their priority.
func (r *Resolver) resolvePrevious(keys []store.IdentityKey, owners map[store.IdentityKey]string) []store.IdentityKey {
	work := make([]store.IdentityKey, 0, len(keys))
	var prevs []store.IdentityKey
	for _, k := range keys {
		if k.Type != TypePreviousID {
			work = append(work, k)
		}
	}
	plain := len(work)
	for _, k := range keys {
		if k.Type != TypePreviousID {
			continue
		}
		u := store.IdentityKey{Type: TypeUserID, Value: k.Value}
		if owners[u] == "" && !slices.Contains(work[:plain], u) {
			u.Type = TypeAnonymousID
		}
		if !slices.Contains(work[:plain], u) {
			prevs = append(prevs, u)
			work = append(work, u)
		}
	}
	slices.SortFunc(work, func(a, b store.IdentityKey) int {
		pa, pb := r.cfg.Rule(a.Type).Priority, r.cfg.Rule(b.Type).Priority
		if pa != pb {
			return cmp.Compare(pa, pb)
		}
		ia, ib := slices.Contains(prevs, a), slices.Contains(prevs, b)
		if ia != ib {
			if ia {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value))
	})
	return slices.Compact(work)
}

func hasAdjacentDup(keys []store.IdentityKey) bool {
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			return true
		}
	}
	return false
}
