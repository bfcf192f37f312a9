package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// journeyStmts are the statements that Apply uses for journey instances and
// sends; prepared lazily by ensure, before the transaction.
type journeyStmts struct {
	mergeInstances, mergeSends, mergeSubs, dropSubs, mergeTimers *sql.Stmt
	instances, sends                                             *multiRow
}

const instanceInsertColumns = "id, journey_id, version, profile_id, key, node, status, entered_at, updated_at, exited_at, exit_reason, state"

const sendInsertColumns = `key, journey_id, version, instance_id, node_id, profile_id, channel, template_id, status, reason,
	attempts, provider_id, address, due_at, created_at, updated_at, sent_at, payload`

func newJourneyStmts() journeyStmts {
	return journeyStmts{
		instances: newMultiRow("INSERT INTO journey_instances ("+instanceInsertColumns+") VALUES ", 12,
			` ON CONFLICT (id) DO UPDATE SET journey_id = excluded.journey_id, version = excluded.version,
			profile_id = excluded.profile_id, key = excluded.key, node = excluded.node, status = excluded.status,
			entered_at = excluded.entered_at, updated_at = excluded.updated_at, exited_at = excluded.exited_at,
			exit_reason = excluded.exit_reason, state = excluded.state`),
		// A replayed step offers the same key again: the existing send, maybe
		// already settled, is kept as it is. OR IGNORE rather than ON
		// CONFLICT DO NOTHING spares the statement journal (see the
		// timeline insert in state_apply.go); only payload and sent_at are
		// bound NULL, and both columns allow it.
		sends: newMultiRow("INSERT OR IGNORE INTO sends ("+sendInsertColumns+") VALUES ", 18, ""),
	}
}

// ensure prepares what b's lists can use. The caller holds the writer mutex
// and has no transaction open.
func (j *journeyStmts) ensure(ctx context.Context, db *sql.DB, b *store.ProcessBatch) error {
	if j.instances == nil {
		*j = newJourneyStmts()
	}
	if j.mergeInstances == nil && hasAppliedMerge(b) {
		for _, d := range []stmtDef{
			{&j.mergeInstances, "UPDATE journey_instances SET profile_id = ?1 WHERE profile_id = ?2"},
			{&j.mergeSends, "UPDATE sends SET profile_id = ?1 WHERE profile_id = ?2"},
			{&j.mergeSubs, mergeSubscriptions},
			{&j.dropSubs, "DELETE FROM subscriptions WHERE profile_id = ?1"},
			{&j.mergeTimers, "UPDATE timers SET profile_id = ?1 WHERE profile_id = ?2 AND kind = 'journey'"},
		} {
			st, err := db.PrepareContext(ctx, d.query)
			if err != nil {
				return fmt.Errorf("prepare %q: %w", d.query, err)
			}
			*d.dst = st
		}
	}
	return errors.Join(j.instances.ensure(ctx, db, len(b.Instances)), j.sends.ensure(ctx, db, len(b.Sends)))
}

func (j *journeyStmts) close() error {
	errs := []error{j.instances.close(), j.sends.close()}
	for _, st := range []*sql.Stmt{j.mergeInstances, j.mergeSends, j.mergeSubs, j.dropSubs, j.mergeTimers} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

func hasAppliedMerge(b *store.ProcessBatch) bool {
	for _, m := range b.Merges {
		if !m.Refused {
			return true
		}
	}
	return false
}

// mergeSubscriptions folds a merge loser's subscription states into the
// winner's: an unsubscribe on either side wins (consent is never widened by
// a merge), otherwise the winner's state stays.
const mergeSubscriptions = `INSERT INTO subscriptions (profile_id, group_id, state, updated_at, source)
	SELECT ?1, group_id, state, updated_at, source FROM subscriptions WHERE profile_id = ?2
	ON CONFLICT (profile_id, group_id) DO UPDATE SET
		state = CASE WHEN excluded.state = 'unsubscribed' OR subscriptions.state = 'unsubscribed' THEN 'unsubscribed' ELSE subscriptions.state END,
		source = CASE WHEN excluded.state = 'unsubscribed' AND subscriptions.state <> 'unsubscribed' THEN excluded.source ELSE subscriptions.source END,
		updated_at = max(subscriptions.updated_at, excluded.updated_at)`

// applyJourneys writes b's journey rows inside Apply's transaction, last:
// first it re-points the instances and sends of every merged-away loser to
// the winner, then upserts the instances and inserts the sends whose key
// is new.
func (s *State) applyJourneys(ctx context.Context, tx *sql.Tx, b *store.ProcessBatch) error {
	j := &s.jrn
	for _, m := range b.Merges {
		if m.Refused {
			continue
		}
		if _, err := tx.StmtContext(ctx, j.mergeInstances).ExecContext(ctx, m.Winner, m.Loser); err != nil {
			return fmt.Errorf("re-point journey instances of %s to %s: %w", m.Loser, m.Winner, err)
		}
		if _, err := tx.StmtContext(ctx, j.mergeSends).ExecContext(ctx, m.Winner, m.Loser); err != nil {
			return fmt.Errorf("re-point sends of %s to %s: %w", m.Loser, m.Winner, err)
		}
		if _, err := tx.StmtContext(ctx, j.mergeSubs).ExecContext(ctx, m.Winner, m.Loser); err != nil {
			return fmt.Errorf("merge subscriptions of %s into %s: %w", m.Loser, m.Winner, err)
		}
		if _, err := tx.StmtContext(ctx, j.dropSubs).ExecContext(ctx, m.Loser); err != nil {
			return fmt.Errorf("drop subscriptions of %s: %w", m.Loser, err)
		}
		if _, err := tx.StmtContext(ctx, j.mergeTimers).ExecContext(ctx, m.Winner, m.Loser); err != nil {
			return fmt.Errorf("re-point journey timers of %s to %s: %w", m.Loser, m.Winner, err)
		}
	}
	if len(b.Instances) == 0 && len(b.Sends) == 0 {
		return nil
	}
	args := s.args[:0]
	defer func() {
		clear(args)
		s.args = args[:0]
	}()
	for _, in := range b.Instances {
		if in.ID == "" {
			return fmt.Errorf("journey instance of profile %s in journey %s: empty id", in.ProfileID, in.JourneyID)
		}
		st, err := nullJSON("state", in.State)
		if err != nil {
			return fmt.Errorf("journey instance %s: %w", in.ID, err)
		}
		args = append(args, in.ID, in.JourneyID, in.Version, in.ProfileID, in.Key, in.Node, in.Status,
			micro(in.EnteredAt), micro(in.UpdatedAt), nullMicroPtr(in.ExitedAt), in.ExitReason, st)
	}
	if err := j.instances.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("upsert %d journey instances: %w", len(b.Instances), err)
	}
	args = args[:0]
	for _, sd := range b.Sends {
		a, err := sendArgs(args, sd)
		if err != nil {
			return err
		}
		args = a
	}
	if err := j.sends.exec(ctx, tx, args); err != nil {
		return fmt.Errorf("insert %d sends: %w", len(b.Sends), err)
	}
	return nil
}

// sendArgs appends the sendInsertColumns of sd to args.
func sendArgs(args []any, sd store.Send) ([]any, error) {
	if sd.Key == "" {
		return args, fmt.Errorf("send to profile %s: empty key", sd.ProfileID)
	}
	p, err := nullJSON("payload", sd.Payload)
	if err != nil {
		return args, fmt.Errorf("send %s: %w", sd.Key, err)
	}
	return append(args, sd.Key, sd.JourneyID, sd.Version, sd.InstanceID, sd.NodeID, sd.ProfileID, sd.Channel, sd.TemplateID,
		sd.Status, sd.Reason, sd.Attempts, sd.ProviderID, sd.To, micro(sd.DueAt), micro(sd.CreatedAt), micro(sd.UpdatedAt),
		nullMicroPtr(sd.SentAt), p), nil
}

// nullMicroPtr stores a nil time as NULL.
func nullMicroPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micro(*t)
}
