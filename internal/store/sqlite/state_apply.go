package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// applyStmts are the statements of Apply, and of the dispatcher's send
// updates (updateSend, clearPending), prepared once on the writer.
type applyStmts struct {
	mergeIdentities, mergeTimeline, mergeMembers, dropMembers, dropTraits, mergeProfile, insMerge *sql.Stmt
	delTrait, upsAccount, upsAccountTrait, insMembership, setCheckpoint                           *sql.Stmt
	updateSend, clearPending                                                                      *sql.Stmt
	bulk                                                                                          bulkStmts
}

type stmtDef struct {
	dst   **sql.Stmt
	query string
}

func (a *applyStmts) list() []stmtDef {
	return []stmtDef{
		{&a.mergeIdentities, "UPDATE identities SET profile_id = ?1 WHERE profile_id = ?2"},
		{&a.mergeTimeline, "UPDATE timeline SET profile_id = ?1 WHERE profile_id = ?2"},
		{&a.mergeMembers, `INSERT INTO memberships (profile_id, group_id, since) SELECT ?1, group_id, since FROM memberships
		WHERE profile_id = ?2 ORDER BY group_id
		ON CONFLICT (profile_id, group_id) DO UPDATE SET since = min(memberships.since, excluded.since)`},
		{&a.dropMembers, "DELETE FROM memberships WHERE profile_id = ?"},
		{&a.dropTraits, "DELETE FROM traits WHERE profile_id = ?"},
		{&a.mergeProfile, "UPDATE profiles SET merged_into = ?1 WHERE id = ?2"},
		{&a.insMerge, `INSERT INTO merges (winner, loser, refused, reason, dropped, via, message_id, time)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&a.delTrait, "DELETE FROM traits WHERE profile_id = ? AND path = ?"},
		{&a.upsAccount, `INSERT INTO accounts (group_id, first_seen, last_seen) VALUES (?, ?, ?)
		ON CONFLICT (group_id) DO UPDATE SET first_seen = min(accounts.first_seen, excluded.first_seen),
		last_seen = max(accounts.last_seen, excluded.last_seen)`},
		{&a.upsAccountTrait, `INSERT INTO account_traits (group_id, path, value, time, source_id, computed) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id, path) DO UPDATE SET value = excluded.value, time = excluded.time,
		source_id = excluded.source_id, computed = excluded.computed`},
		{&a.insMembership, "INSERT INTO memberships (profile_id, group_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"},
		{&a.setCheckpoint, "UPDATE state_meta SET checkpoint = ? WHERE id = 1"},
		{&a.updateSend, updateSendSQL},
		{&a.clearPending, "UPDATE sends SET pending_event = NULL WHERE key = ? AND pending_event = ?"},
	}
}

// bulkStmts are the multi-row statements of Apply's large lists.
type bulkStmts struct {
	profiles, identities, traits, timeline *multiRow
}

func newBulkStmts() bulkStmts {
	return bulkStmts{
		profiles: newMultiRow("INSERT INTO profiles (id, merged_into, first_seen, last_seen, event_count, sources, channels) VALUES ", 7,
			` ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, first_seen = excluded.first_seen,
			last_seen = excluded.last_seen, event_count = excluded.event_count, sources = excluded.sources,
			channels = excluded.channels`),
		identities: newMultiRow("INSERT INTO identities (type, value, profile_id, first_seen, last_seen) VALUES ", 5,
			` ON CONFLICT (type, value) DO UPDATE SET profile_id = excluded.profile_id,
			first_seen = min(identities.first_seen, excluded.first_seen),
			last_seen = max(identities.last_seen, excluded.last_seen)`),
		traits: newMultiRow("INSERT INTO traits (profile_id, path, value, time, source_id, computed) VALUES ", 6,
			` ON CONFLICT (profile_id, path) DO UPDATE SET value = excluded.value, time = excluded.time,
			source_id = excluded.source_id, computed = excluded.computed`),
		// OR IGNORE, not ON CONFLICT DO NOTHING: the same for the key, but a
		// multi-row statement that may abort needs a statement journal, a
		// copy of every page it touches (~5 % of processing), and one that
		// ignores cannot abort. Every value bound here is non-NULL.
		timeline: newMultiRow("INSERT OR IGNORE INTO timeline (profile_id, timestamp, seq, type, event, source_id, channel) VALUES ", 7, ""),
	}
}

// ensure prepares the statement sizes that b's lists can use.
func (b *bulkStmts) ensure(ctx context.Context, db *sql.DB, pb *store.ProcessBatch) error {
	return errors.Join(b.profiles.ensure(ctx, db, len(pb.Profiles)), b.identities.ensure(ctx, db, len(pb.Identities)),
		b.traits.ensure(ctx, db, len(pb.Traits)), b.timeline.ensure(ctx, db, len(pb.Timeline)))
}

func (b *bulkStmts) close() error {
	return errors.Join(b.profiles.close(), b.identities.close(), b.traits.close(), b.timeline.close())
}

func (a *applyStmts) prepare(ctx context.Context, db *sql.DB) error {
	a.bulk = newBulkStmts()
	for _, d := range a.list() {
		st, err := db.PrepareContext(ctx, d.query)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", d.query, err)
		}
		*d.dst = st
	}
	return nil
}

func (a *applyStmts) close() error {
	errs := []error{a.bulk.close()}
	for _, d := range a.list() {
		if *d.dst != nil {
			errs = append(errs, (*d.dst).Close())
		}
	}
	return errors.Join(errs...)
}

// Apply writes b and its checkpoint in one transaction, in field order.
func (s *State) Apply(ctx context.Context, b *store.ProcessBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.apply.bulk.ensure(ctx, s.db.w, b); err != nil {
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	if err := s.seg.ensure(ctx, s.db.w, b); err != nil {
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	if err := s.jrn.ensure(ctx, s.db.w, b); err != nil {
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	err := inTxLocked(ctx, s.db.w, func(tx *sql.Tx) error {
		st := func(p *sql.Stmt) *sql.Stmt { return tx.StmtContext(ctx, p) }
		if err := applyMerges(ctx, st, &s.apply, b.Merges); err != nil {
			return err
		}
		if err := s.applyBulk(ctx, tx, b); err != nil {
			return err
		}
		del := st(s.apply.delTrait)
		for _, t := range b.TraitDeletes {
			if _, err := del.ExecContext(ctx, t.ProfileID, t.Path); err != nil {
				return fmt.Errorf("delete trait %s of profile %s: %w", t.Path, t.ProfileID, err)
			}
		}
		args := s.args[:0]
		for _, e := range b.Timeline {
			args = append(args, e.ProfileID, micro(e.Timestamp), e.Seq, e.Type, e.Event, e.SourceID, e.Channel)
		}
		if err := s.apply.bulk.timeline.exec(ctx, tx, args); err != nil {
			return fmt.Errorf("insert %d timeline entries: %w", len(b.Timeline), err)
		}
		clear(args)
		s.args = args[:0]
		if err := applyAccounts(ctx, st, &s.apply, b); err != nil {
			return err
		}
		if err := s.applyMembership(ctx, tx, b); err != nil { // state_membership.go
			return err
		}
		if err := s.applyJourneys(ctx, tx, b); err != nil { // state_journey_apply.go
			return err
		}
		return s.applyOutbox(ctx, tx, b) // state_outbox.go
	})
	if err != nil {
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	return nil
}

// applyBulk upserts the profiles, identities and traits of b with
// multi-row statements.
func (s *State) applyBulk(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch) error {
	args := s.args[:0]
	defer func() {
		clear(args)
		s.args = args[:0]
	}()
	for _, p := range b.Profiles {
		args = append(args, p.ID, nullString(p.MergedInto), micro(p.FirstSeen), micro(p.LastSeen), p.EventCount,
			encodeStrings(p.Sources), encodeStrings(p.Channels))
	}
	if err := s.apply.bulk.profiles.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("upsert %d profiles: %w", len(b.Profiles), err)
	}
	args = args[:0]
	for _, id := range b.Identities {
		args = append(args, id.Type, id.Value, id.ProfileID, micro(id.FirstSeen), micro(id.LastSeen))
	}
	if err := s.apply.bulk.identities.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("upsert %d identities: %w", len(b.Identities), err)
	}
	args = args[:0]
	for _, t := range b.Traits {
		v, err := compactJSON(t.Value)
		if err != nil {
			return fmt.Errorf("trait %s of profile %s: %w", t.Path, t.ProfileID, err)
		}
		args = append(args, t.ProfileID, t.Path, v, micro(t.Time), t.SourceID, t.Computed)
	}
	if err := s.apply.bulk.traits.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("upsert %d traits: %w", len(b.Traits), err)
	}
	return nil
}

func applyAccounts(ctx context.Context, st func(*sql.Stmt) *sql.Stmt, a *applyStmts, b *store.ProcessBatch) error {
	ups := st(a.upsAccount)
	for _, ac := range b.Accounts {
		if _, err := ups.ExecContext(ctx, ac.GroupID, micro(ac.FirstSeen), micro(ac.LastSeen)); err != nil {
			return fmt.Errorf("upsert account %s: %w", ac.GroupID, err)
		}
	}
	ups = st(a.upsAccountTrait)
	for _, t := range b.AccountTraits {
		v, err := compactJSON(t.Value)
		if err != nil {
			return fmt.Errorf("trait %s of account %s: %w", t.Path, t.GroupID, err)
		}
		if _, err := ups.ExecContext(ctx, t.GroupID, t.Path, v, micro(t.Time), t.SourceID, t.Computed); err != nil {
			return fmt.Errorf("upsert trait %s of account %s: %w", t.Path, t.GroupID, err)
		}
	}
	ins := st(a.insMembership)
	for _, m := range b.Memberships {
		if _, err := ins.ExecContext(ctx, m.ProfileID, m.GroupID, micro(m.Since)); err != nil {
			return fmt.Errorf("insert membership of profile %s in %s: %w", m.ProfileID, m.GroupID, err)
		}
	}
	if _, err := st(a.setCheckpoint).ExecContext(ctx, b.Checkpoint); err != nil {
		return fmt.Errorf("set checkpoint: %w", err)
	}
	return nil
}

// applyMerges re-points the loser's identities, timeline and memberships to
// the winner, deletes the loser's traits and marks it merged; refusals are
// recorded only.
func applyMerges(ctx context.Context, st func(*sql.Stmt) *sql.Stmt, a *applyStmts, merges []store.Merge) error {
	for _, m := range merges {
		if !m.Refused {
			if m.Winner == "" || m.Loser == "" || m.Winner == m.Loser {
				return fmt.Errorf("merge %q into %q: winner and loser must be two different profile ids", m.Loser, m.Winner)
			}
			for _, step := range []struct {
				stmt *sql.Stmt
				args []any
			}{
				{a.mergeIdentities, []any{m.Winner, m.Loser}},
				{a.mergeTimeline, []any{m.Winner, m.Loser}},
				{a.mergeMembers, []any{m.Winner, m.Loser}},
				{a.dropMembers, []any{m.Loser}},
				{a.dropTraits, []any{m.Loser}},
				{a.mergeProfile, []any{m.Winner, m.Loser}},
			} {
				if _, err := st(step.stmt).ExecContext(ctx, step.args...); err != nil {
					return fmt.Errorf("merge %s into %s: %w", m.Loser, m.Winner, err)
				}
			}
		}
		if _, err := st(a.insMerge).ExecContext(ctx, m.Winner, m.Loser, m.Refused, m.Reason,
			encodeKeys(m.Dropped), encodeKeys(m.Via), m.MessageID, micro(m.Time)); err != nil {
			return fmt.Errorf("record merge %s into %s: %w", m.Loser, m.Winner, err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// compactJSON validates v and returns it compacted, the form stored and
// compared by FindProfiles.
func compactJSON(v json.RawMessage) (string, error) {
	if len(v) == 0 {
		return "", fmt.Errorf("empty JSON value; use null for an explicit null")
	}
	var buf bytes.Buffer
	buf.Grow(len(v))
	if err := json.Compact(&buf, v); err != nil {
		return "", fmt.Errorf("invalid JSON value %.64q: %w", v, err)
	}
	return buf.String(), nil
}

func encodeStrings(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // []string always marshals
	return string(b)
}

func decodeStrings(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decode string list %.64q: %w", s, err)
	}
	return v, nil
}

func encodeKeys(v []store.IdentityKey) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // plain strings always marshal
	return string(b)
}

func decodeKeys(s string) ([]store.IdentityKey, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var v []store.IdentityKey
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decode identity keys %.64q: %w", s, err)
	}
	return v, nil
}
