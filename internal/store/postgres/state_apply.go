package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Apply writes b and its checkpoint in one transaction, in field order. All
// statements go to the server in one pipelined batch.
func (s *State) Apply(ctx context.Context, b *store.ProcessBatch) error {
	var (
		batch pgx.Batch
		what  []string // what each queued statement does, for errors
	)
	q := func(desc, sql string, args ...any) {
		batch.Queue(sql, args...)
		what = append(what, desc)
	}
	for _, m := range b.Merges {
		desc := fmt.Sprintf("merge %s into %s", m.Loser, m.Winner)
		if !m.Refused {
			if m.Winner == "" || m.Loser == "" || m.Winner == m.Loser {
				return fmt.Errorf("apply batch up to seq %d: merge %q into %q: winner and loser must be two different profile ids",
					b.Checkpoint, m.Loser, m.Winner)
			}
			q(desc, "UPDATE identities SET profile_id = $1 WHERE profile_id = $2", m.Winner, m.Loser)
			q(desc, "UPDATE timeline SET profile_id = $1 WHERE profile_id = $2", m.Winner, m.Loser)
			q(desc, `INSERT INTO memberships (profile_id, group_id, since)
				SELECT $1, group_id, since FROM memberships WHERE profile_id = $2
				ON CONFLICT (profile_id, group_id) DO UPDATE SET since = LEAST(memberships.since, excluded.since)`, m.Winner, m.Loser)
			q(desc, "DELETE FROM memberships WHERE profile_id = $1", m.Loser)
			q(desc, "DELETE FROM traits WHERE profile_id = $1", m.Loser)
			q(desc, "UPDATE profiles SET merged_into = $1 WHERE id = $2", m.Winner, m.Loser)
		}
		q("record "+desc, `INSERT INTO merges (winner, loser, refused, reason, dropped, via, message_id, time)
			VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
			m.Winner, m.Loser, m.Refused, m.Reason, encodeKeys(m.Dropped), encodeKeys(m.Via), m.MessageID, m.Time)
	}
	for _, p := range b.Profiles {
		var merged *string
		if p.MergedInto != "" {
			merged = &p.MergedInto
		}
		q("upsert profile "+p.ID, `INSERT INTO profiles (id, merged_into, first_seen, last_seen, event_count, sources, channels)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, first_seen = excluded.first_seen,
			last_seen = excluded.last_seen, event_count = excluded.event_count, sources = excluded.sources,
			channels = excluded.channels`, p.ID, merged, p.FirstSeen, p.LastSeen, p.EventCount, nonNil(p.Sources), nonNil(p.Channels))
	}
	for _, id := range b.Identities {
		q("upsert identity "+id.Type+" of profile "+id.ProfileID, `INSERT INTO identities (type, value, profile_id, first_seen, last_seen)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (type, value) DO UPDATE SET profile_id = excluded.profile_id,
			first_seen = LEAST(identities.first_seen, excluded.first_seen),
			last_seen = GREATEST(identities.last_seen, excluded.last_seen)`, id.Type, id.Value, id.ProfileID, id.FirstSeen, id.LastSeen)
	}
	for _, t := range b.Traits {
		v, err := compactJSON(t.Value)
		if err != nil {
			return fmt.Errorf("apply batch up to seq %d: trait %s of profile %s: %w", b.Checkpoint, t.Path, t.ProfileID, err)
		}
		q("upsert trait "+t.Path+" of profile "+t.ProfileID, `INSERT INTO traits (profile_id, path, value, time, source_id, computed)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (profile_id, path) DO UPDATE SET value = excluded.value, time = excluded.time,
			source_id = excluded.source_id, computed = excluded.computed`, t.ProfileID, t.Path, v, t.Time, t.SourceID, t.Computed)
	}
	for _, t := range b.TraitDeletes {
		q("delete trait "+t.Path+" of profile "+t.ProfileID, "DELETE FROM traits WHERE profile_id = $1 AND path = $2", t.ProfileID, t.Path)
	}
	for _, e := range b.Timeline {
		q(fmt.Sprintf("insert timeline seq %d", e.Seq), `INSERT INTO timeline (profile_id, timestamp, seq, type, event, source_id, channel)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, e.ProfileID, e.Timestamp, e.Seq, e.Type, e.Event, e.SourceID, e.Channel)
	}
	for _, a := range b.Accounts {
		q("upsert account "+a.GroupID, `INSERT INTO accounts (group_id, first_seen, last_seen) VALUES ($1, $2, $3)
			ON CONFLICT (group_id) DO UPDATE SET first_seen = LEAST(accounts.first_seen, excluded.first_seen),
			last_seen = GREATEST(accounts.last_seen, excluded.last_seen)`, a.GroupID, a.FirstSeen, a.LastSeen)
	}
	for _, t := range b.AccountTraits {
		v, err := compactJSON(t.Value)
		if err != nil {
			return fmt.Errorf("apply batch up to seq %d: trait %s of account %s: %w", b.Checkpoint, t.Path, t.GroupID, err)
		}
		q("upsert trait "+t.Path+" of account "+t.GroupID, `INSERT INTO account_traits (group_id, path, value, time, source_id, computed)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (group_id, path) DO UPDATE SET value = excluded.value, time = excluded.time,
			source_id = excluded.source_id, computed = excluded.computed`, t.GroupID, t.Path, v, t.Time, t.SourceID, t.Computed)
	}
	for _, m := range b.Memberships {
		q("insert membership of "+m.ProfileID+" in "+m.GroupID, `INSERT INTO memberships (profile_id, group_id, since)
			VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, m.ProfileID, m.GroupID, m.Since)
	}
	q("set checkpoint", "UPDATE state_meta SET checkpoint = $1 WHERE id = 1", b.Checkpoint)
	if err := queueMembership(b, q); err != nil { // state_membership.go
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	if err := queueJourneys(b, q); err != nil { // state_journey_apply.go
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	returning := queueOutbox(b, q) // state_outbox.go

	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		br := tx.SendBatch(ctx, &batch)
		for i := range what {
			if returning && i == len(what)-1 { // the outbox insert, queued last
				if err := br.QueryRow().Scan(&b.OutboxID); err != nil {
					_ = br.Close()
					return fmt.Errorf("%s: %w", what[i], err)
				}
				continue
			}
			if _, err := br.Exec(); err != nil {
				_ = br.Close()
				return fmt.Errorf("%s: %w", what[i], err)
			}
		}
		return br.Close()
	})
	if err != nil {
		return fmt.Errorf("apply batch up to seq %d: %w", b.Checkpoint, err)
	}
	return nil
}
