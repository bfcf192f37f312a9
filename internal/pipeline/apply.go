package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/profile"
	"github.com/cairn-cdp/cairn/internal/store"
)

// prepared is an event with its payload decoded and identifiers extracted.
type prepared struct {
	ev      *event.Event
	payload *event.Payload
	keys    []store.IdentityKey
	err     error
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// profileID derives a new profile's id from the event that created it, so a
// rebuild from the log produces the same ids.
func profileID(e *event.Event) string {
	sum := sha256.Sum256([]byte(e.SourceID + "\x00" + e.MessageID))
	return "p_" + idEncoding.EncodeToString(sum[:13])
}

// applyEvent resolves one event and folds it into the batch. It returns
// the profile id the event was attributed to.
func (p *Processor) applyEvent(ctx context.Context, g *graph, pe *prepared) (string, error) {
	e := pe.ev
	newID := profileID(e)
	d, err := p.resolver.Resolve(ctx, g, pe.keys, newID)
	if err != nil {
		return "", err
	}
	b := g.b
	if d.Created {
		b.profiles[d.ProfileID] = &store.Profile{ID: d.ProfileID, FirstSeen: e.Timestamp, LastSeen: e.Timestamp}
		b.traits[d.ProfileID] = map[string]store.Trait{}
		b.created[d.ProfileID] = true
		g.idsLoad[d.ProfileID] = true
	}
	target, err := g.profile(ctx, d.ProfileID)
	if err != nil {
		return "", err
	}
	for _, loser := range d.Merged {
		if err := p.merge(ctx, g, target, b.final(loser), pe); err != nil {
			return "", err
		}
	}
	for _, r := range d.Refused {
		r.MessageID = e.MessageID
		r.Time = e.ReceivedAt
		b.merges = append(b.merges, r)
		p.metrics.mergesRefused.Inc()
	}
	for _, k := range d.Link {
		id, ok := b.idents[k]
		if !ok || b.final(id.ProfileID) != target.ID {
			id = store.Identity{IdentityKey: k, ProfileID: target.ID, FirstSeen: e.Timestamp, LastSeen: e.Timestamp}
			if !slices.Contains(b.identsOf[target.ID], k) {
				b.identsOf[target.ID] = append(b.identsOf[target.ID], k)
			}
		}
		b.idents[k] = id
		b.identMod[k] = true
	}
	// Touch every identifier the event kept that now belongs to the target.
	for _, k := range d.Keys {
		id, ok := b.idents[k]
		if !ok || b.final(id.ProfileID) != target.ID {
			continue
		}
		changed := id.ProfileID != target.ID
		id.ProfileID = target.ID
		if e.Timestamp.Before(id.FirstSeen) {
			id.FirstSeen, changed = e.Timestamp, true
		}
		if e.Timestamp.Sub(id.LastSeen) >= lastSeenGranularity {
			id.LastSeen, changed = e.Timestamp, true
		}
		b.idents[k] = id
		if changed {
			b.identMod[k] = true
		}
	}
	touch(target, e)
	b.timeline = append(b.timeline, store.TimelineEntry{
		ProfileID: target.ID, Seq: e.Seq, Timestamp: e.Timestamp, Type: string(e.Type),
		Event: e.Name, SourceID: e.SourceID, Channel: e.Channel,
	})
	switch e.Type {
	case event.Identify:
		if err := p.setTraits(ctx, g, target.ID, pe.payload.Traits, e); err != nil {
			return "", err
		}
	case event.Group:
		if err := p.group(ctx, b, target.ID, pe); err != nil {
			return "", err
		}
	}
	return target.ID, nil
}

// touch updates a profile's counters for one event.
func touch(pr *store.Profile, e *event.Event) {
	pr.EventCount++
	if pr.FirstSeen.IsZero() || e.Timestamp.Before(pr.FirstSeen) {
		pr.FirstSeen = e.Timestamp
	}
	if e.Timestamp.After(pr.LastSeen) {
		pr.LastSeen = e.Timestamp
	}
	pr.Sources = addSorted(pr.Sources, e.SourceID)
	if e.Channel != "" {
		pr.Channels = addSorted(pr.Channels, e.Channel)
	}
}

func addSorted(list []string, v string) []string {
	i, found := slices.BinarySearch(list, v)
	if found {
		return list
	}
	return slices.Insert(list, i, v)
}

// setTraits writes identify traits onto a profile: per leaf, newer event time wins.
func (p *Processor) setTraits(ctx context.Context, g *graph, id string, traits map[string]any, e *event.Event) error {
	if len(traits) == 0 {
		return nil
	}
	cur, err := g.traits(ctx, id)
	if err != nil {
		return err
	}
	var reserved []string
	for _, leaf := range profile.Flatten(traits) {
		if p.reservedTrait(leaf.Path) {
			reserved = append(reserved, leaf.Path)
			continue
		}
		writeTrait(g.b, id, cur, store.Trait{Path: leaf.Path, Value: leaf.Value, Time: e.Timestamp, SourceID: e.SourceID})
	}
	if len(reserved) > 0 {
		p.metrics.skipped.WithLabelValues(ReasonReservedTrait).Inc()
		g.b.rejects = append(g.b.rejects, store.Rejection{SourceID: e.SourceID, MessageID: e.MessageID, Reason: ReasonReservedTrait,
			Field: "traits." + reserved[0],
			Detail: fmt.Sprintf("log seq %d: traits %s are kept by Cairn (lifecycle stage, computed traits, cairn.*) and were not changed; the rest of the event was applied — rename them to send your own values",
				e.Seq, strings.Join(reserved, ", ")),
			ReceivedAt: e.ReceivedAt, Excerpt: string(e.Raw[:min(len(e.Raw), 1024)])})
	}
	return nil
}

// reservedTrait tells whether a trait path belongs to Cairn: the lifecycle
// stage, a computed trait (or a path inside one), or the cairn. namespace.
func (p *Processor) reservedTrait(path string) bool {
	if path == TraitLifecycleStage || strings.HasPrefix(path, "cairn.") || isModelTrait(path) {
		return true
	}
	cs := p.computed.Load()
	if cs == nil {
		return false
	}
	root, _, _ := strings.Cut(path, ".")
	_, ok := cs.byName[root]
	if !ok {
		_, ok = cs.byName[path]
	}
	return ok
}

// writeTrait applies one leaf to a trait map if it is newer, removing
// structurally conflicting leaves that are older.
func writeTrait(b *batch, id string, cur map[string]store.Trait, t store.Trait) {
	if old, ok := cur[t.Path]; ok && !profile.Newer(t.Time, old) {
		return
	}
	conflicts := profile.Conflicts(t.Path, cur)
	for _, c := range conflicts {
		if !profile.Newer(t.Time, cur[c]) {
			return // a newer structure already owns this part of the tree
		}
	}
	for _, c := range conflicts {
		delete(cur, c)
		if b.dirty[id] != nil {
			delete(b.dirty[id], c)
		}
		mark(b.deleted, id, c)
	}
	cur[t.Path] = t
	mark(b.dirty, id, t.Path)
	if b.deleted[id] != nil {
		delete(b.deleted[id], t.Path)
	}
}

// merge folds loser into winner: counters, traits (newer wins), identities.
func (p *Processor) merge(ctx context.Context, g *graph, winner *store.Profile, loserID string, pe *prepared) error {
	b, e := g.b, pe.ev
	if loserID == winner.ID {
		return nil
	}
	loser, err := g.profile(ctx, loserID)
	if err != nil {
		return err
	}
	if err := g.loadIdentitiesFrom(ctx, loserID, false); err != nil {
		return err
	}
	if err := g.loadIdentities(ctx, winner.ID); err != nil {
		return err
	}
	lt, err := g.traits(ctx, loserID)
	if err != nil {
		return err
	}
	wt, err := g.traits(ctx, winner.ID)
	if err != nil {
		return err
	}
	for _, path := range sortedKeys(lt) {
		writeTrait(b, winner.ID, wt, lt[path])
	}
	winner.EventCount += loser.EventCount
	if !loser.FirstSeen.IsZero() && (winner.FirstSeen.IsZero() || loser.FirstSeen.Before(winner.FirstSeen)) {
		winner.FirstSeen = loser.FirstSeen
	}
	if loser.LastSeen.After(winner.LastSeen) {
		winner.LastSeen = loser.LastSeen
	}
	for _, s := range loser.Sources {
		winner.Sources = addSorted(winner.Sources, s)
	}
	for _, c := range loser.Channels {
		winner.Channels = addSorted(winner.Channels, c)
	}
	loser.MergedInto = winner.ID
	loser.EventCount = 0
	b.mergedInto[loserID] = winner.ID
	delete(b.dirty, loserID)
	delete(b.deleted, loserID)
	var via []store.IdentityKey
	for _, k := range b.identsOf[loserID] {
		if slices.Contains(pe.keys, k) {
			via = append(via, k)
		}
		if !slices.Contains(b.identsOf[winner.ID], k) {
			b.identsOf[winner.ID] = append(b.identsOf[winner.ID], k)
		}
		if id, ok := b.idents[k]; ok {
			id.ProfileID = winner.ID
			b.idents[k] = id
		}
	}
	delete(b.identsOf, loserID)
	b.merges = append(b.merges, store.Merge{
		Winner: winner.ID, Loser: loserID, Via: via, MessageID: e.MessageID, Time: e.ReceivedAt,
	})
	p.metrics.merges.Inc()
	return nil
}

// group records an account, its traits and the profile's membership.
func (p *Processor) group(ctx context.Context, b *batch, profileID string, pe *prepared) error {
	e := pe.ev
	gid := e.GroupID
	if gid == "" {
		return nil
	}
	a, ok := b.accounts[gid]
	if !ok {
		a = &store.Account{GroupID: gid, FirstSeen: e.Timestamp, LastSeen: e.Timestamp}
		b.accounts[gid] = a
	}
	if e.Timestamp.Before(a.FirstSeen) {
		a.FirstSeen = e.Timestamp
	}
	if e.Timestamp.After(a.LastSeen) {
		a.LastSeen = e.Timestamp
	}
	if b.acctTrait[gid] == nil {
		rows, err := p.state.AccountTraits(ctx, gid)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("load traits of account %s: %w", gid, err)
		}
		b.acctTrait[gid] = make(map[string]store.Trait, len(rows))
		for _, r := range rows {
			b.acctTrait[gid][r.Path] = r
		}
	}
	cur := b.acctTrait[gid]
	for _, leaf := range profile.Flatten(pe.payload.Traits) {
		if old, ok := cur[leaf.Path]; ok && !profile.Newer(e.Timestamp, old) {
			continue
		}
		cur[leaf.Path] = store.Trait{Path: leaf.Path, Value: leaf.Value, Time: e.Timestamp, SourceID: e.SourceID}
		mark(b.acctDirty, gid, leaf.Path)
	}
	key := [2]string{profileID, gid}
	if _, ok := b.members[key]; !ok {
		b.members[key] = store.Membership{ProfileID: profileID, GroupID: gid, Since: e.Timestamp}
	}
	return nil
}

// isSkippable reports errors that drop one event rather than stop processing.
func isSkippable(err error) bool {
	return errors.Is(err, identity.ErrNoIdentifiers)
}

func describe(e *event.Event) string {
	return fmt.Sprintf("%s %s (seq %d)", e.Type, strings.TrimSpace(e.MessageID), e.Seq)
}
