package identity

import (
	"context"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/store"
)

// resolution is the working state of one Resolve call.
type resolution struct {
	r      *Resolver
	g      Graph
	owners map[store.IdentityKey]string

	union  []string // profiles merged so far, in the order they joined
	loaded int      // union[:loaded] have their identifiers in held
	// held are the distinct identifiers of limited types of union[:loaded]
	// plus the new identifiers accepted so far.
	held []store.IdentityKey

	d       Decision
	dropped int // number of work keys dropped
	fresh   int // number of work keys accepted as new
}

func (s *resolution) run(ctx context.Context, work []store.IdentityKey, newProfileID string) (Decision, error) {
	for _, k := range work {
		if err := s.step(ctx, k); err != nil {
			return Decision{}, err
		}
	}
	if err := s.finish(ctx, work, newProfileID); err != nil {
		return Decision{}, err
	}
	return s.d, nil
}

// step accepts or drops one identifier, merging its profile in when allowed.
func (s *resolution) step(ctx context.Context, k store.IdentityKey) error {
	p := s.owners[k]
	switch {
	case p == "":
		reason, err := s.linkExceeds(ctx, k)
		if err != nil {
			return err
		}
		if reason != "" {
			s.drop(k)
			s.d.Refused = append(s.d.Refused, store.Merge{Refused: true, Reason: reason, Dropped: []store.IdentityKey{k}})
			return nil
		}
		s.fresh++
		if s.r.cfg.Rule(k.Type).Limit > 0 {
			s.held = append(s.held, k)
		}
	case slices.Contains(s.union, p):
	case len(s.union) == 0 && len(s.held) == 0:
		// The first profile met alone cannot exceed a limit; its
		// identifiers are loaded only if a later check needs them.
		s.union = append(s.union, p)
	default:
		for i := range s.d.Refused {
			if m := &s.d.Refused[i]; m.Loser == p {
				// Still refused: held only grows, so the union still exceeds.
				s.drop(k)
				m.Dropped = append(m.Dropped, k)
				m.Via = m.Dropped
				return nil
			}
		}
		reason, err := s.mergeExceeds(ctx, p)
		if err != nil {
			return err
		}
		if reason != "" {
			s.drop(k)
			dropped := []store.IdentityKey{k}
			s.d.Refused = append(s.d.Refused, store.Merge{Loser: p, Refused: true, Reason: reason, Dropped: dropped, Via: dropped})
			return nil
		}
		s.union = append(s.union, p)
	}
	return nil
}

func (s *resolution) drop(k store.IdentityKey) {
	s.dropped++
	s.d.Dropped = append(s.d.Dropped, k)
}

// linkExceeds returns why linking the new identifier k would exceed its
// type's limit, or "".
func (s *resolution) linkExceeds(ctx context.Context, k store.IdentityKey) (string, error) {
	limit := s.r.cfg.Rule(k.Type).Limit
	if limit == 0 {
		return "", nil
	}
	if err := s.load(ctx); err != nil {
		return "", err
	}
	if n := countType(s.held, k.Type) + 1; n > limit {
		return fmt.Sprintf("%s limit %d exceeded: linking %s would give the profile %d values", k.Type, limit, k.Type, n), nil
	}
	return "", nil
}

// mergeExceeds returns why merging profile p into the union would exceed a
// limit, or "". When the merge is allowed, p's identifiers join held.
func (s *resolution) mergeExceeds(ctx context.Context, p string) (string, error) {
	if !s.r.limited {
		return "", nil
	}
	if err := s.load(ctx); err != nil {
		return "", err
	}
	ids, err := s.g.Identities(ctx, p)
	if err != nil {
		return "", fmt.Errorf("load identities of profile %s: %w", p, err)
	}
	base := len(s.held)
	for _, k := range ids {
		if s.r.cfg.Rule(k.Type).Limit > 0 && !slices.Contains(s.held, k) {
			s.held = append(s.held, k)
		}
	}
	added := s.held[base:]
	reason, worst := "", 0
	for i, k := range added {
		if slices.ContainsFunc(added[:i], func(o store.IdentityKey) bool { return o.Type == k.Type }) {
			continue // type already checked
		}
		rule := s.r.cfg.Rule(k.Type)
		if n := countType(s.held, k.Type); n > rule.Limit && (reason == "" || rule.Priority < worst) {
			reason = fmt.Sprintf("%s limit %d exceeded: merging would give the profile %d values", k.Type, rule.Limit, n)
			worst = rule.Priority
		}
	}
	if reason != "" {
		s.held = s.held[:base]
		return reason, nil
	}
	s.loaded++ // p joins the union next, already loaded
	return "", nil
}

// load adds the identifiers of union profiles not yet loaded to held.
func (s *resolution) load(ctx context.Context) error {
	for ; s.loaded < len(s.union); s.loaded++ {
		p := s.union[s.loaded]
		ids, err := s.g.Identities(ctx, p)
		if err != nil {
			return fmt.Errorf("load identities of profile %s: %w", p, err)
		}
		for _, k := range ids {
			if s.r.cfg.Rule(k.Type).Limit > 0 && !slices.Contains(s.held, k) {
				s.held = append(s.held, k)
			}
		}
	}
	return nil
}

func countType(keys []store.IdentityKey, t string) int {
	n := 0
	for _, k := range keys {
		if k.Type == t {
			n++
		}
	}
	return n
}

// finish picks the surviving profile and fills the rest of the decision.
func (s *resolution) finish(ctx context.Context, work []store.IdentityKey, newProfileID string) error {
	d := &s.d
	switch len(s.union) {
	case 0:
		d.ProfileID, d.Created = newProfileID, true
	case 1:
		d.ProfileID = s.union[0]
	default:
		survivor, err := s.oldest(ctx)
		if err != nil {
			return err
		}
		d.ProfileID = survivor
		d.Merged = make([]string, 0, len(s.union)-1)
		for _, p := range s.union {
			if p != survivor {
				d.Merged = append(d.Merged, p)
			}
		}
		slices.Sort(d.Merged)
		d.Merges = make([]store.Merge, len(d.Merged))
		for i, p := range d.Merged {
			d.Merges[i] = store.Merge{Winner: survivor, Loser: p, Via: s.via(work, p)}
		}
	}
	for i := range d.Refused {
		d.Refused[i].Winner = d.ProfileID
	}
	switch {
	case s.dropped == 0:
		d.Keys = work
	default:
		d.Keys = make([]store.IdentityKey, 0, len(work)-s.dropped)
		for _, k := range work {
			if !slices.Contains(d.Dropped, k) {
				d.Keys = append(d.Keys, k)
			}
		}
		slices.SortFunc(d.Dropped, s.r.cfg.compareKeys)
	}
	switch {
	case s.fresh == 0:
	case s.fresh == len(d.Keys):
		d.Link = d.Keys
	default:
		d.Link = make([]store.IdentityKey, 0, s.fresh)
		for _, k := range d.Keys {
			if s.owners[k] == "" {
				d.Link = append(d.Link, k)
			}
		}
	}
	return nil
}

// oldest returns the union profile with the lowest (Rank, id).
func (s *resolution) oldest(ctx context.Context) (string, error) {
	best, bestRank := "", int64(0)
	for _, p := range s.union {
		rank, err := s.g.Rank(ctx, p)
		if err != nil {
			return "", fmt.Errorf("rank profile %s: %w", p, err)
		}
		if best == "" || rank < bestRank || (rank == bestRank && p < best) {
			best, bestRank = p, rank
		}
	}
	return best, nil
}

// via returns the identifiers of work that pointed at profile p.
func (s *resolution) via(work []store.IdentityKey, p string) []store.IdentityKey {
	var out []store.IdentityKey
	for _, k := range work {
		if s.owners[k] == p {
			out = append(out, k)
		}
	}
	return out
}
