package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

const sendColumns = "SELECT " + sendInsertColumns + ", content, pending_event FROM sends "

// GetSend returns one send.
func (s *State) GetSend(ctx context.Context, key string) (store.Send, error) {
	sd, err := scanSend(s.db.r.cachedQueryRow(ctx, sendColumns+"WHERE key = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return sd, fmt.Errorf("get send %s: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return sd, fmt.Errorf("get send %s: %w", key, err)
	}
	return sd, nil
}

// SendByProviderID returns the send a provider knows by providerID on
// channel (the first by key should a provider reuse an id).
func (s *State) SendByProviderID(ctx context.Context, channel, providerID string) (store.Send, error) {
	if providerID == "" {
		return store.Send{}, fmt.Errorf("find %s send by provider id: empty id: %w", channel, store.ErrNotFound)
	}
	sd, err := scanSend(s.db.r.cachedQueryRow(ctx, sendColumns+"WHERE channel = ? AND provider_id = ? ORDER BY key LIMIT 1",
		channel, providerID))
	if errors.Is(err, sql.ErrNoRows) {
		return sd, fmt.Errorf("find %s send by provider id %s: %w", channel, providerID, store.ErrNotFound)
	}
	if err != nil {
		return sd, fmt.Errorf("find %s send by provider id %s: %w", channel, providerID, err)
	}
	return sd, nil
}

// DueSends lists up to limit queued sends due at now, by due time then key.
func (s *State) DueSends(ctx context.Context, now time.Time, limit int) ([]store.Send, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("due sends: %w", err)
	}
	out, err := s.querySends(ctx, sendColumns+"WHERE status = ? AND due_at <= ? ORDER BY due_at, key LIMIT ?",
		store.SendQueued, micro(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due sends: %w", err)
	}
	return out, nil
}

// NextSendDue returns the earliest due time of the queued sends.
func (s *State) NextSendDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.db.r.cachedQueryRow(ctx, "SELECT min(due_at) FROM sends WHERE status = ?", store.SendQueued).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next send due: %w", err)
	}
	return fromNullMicro(next), next.Valid, nil
}

// SendsByStatus lists up to limit sends in status, by update time then key.
func (s *State) SendsByStatus(ctx context.Context, status string, limit int) ([]store.Send, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list %s sends: %w", status, err)
	}
	out, err := s.querySends(ctx, sendColumns+"WHERE status = ? ORDER BY updated_at, key LIMIT ?", status, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s sends: %w", status, err)
	}
	return out, nil
}

// ProfileSends lists up to limit sends of a profile created at or after
// since, newest first (equal times by key, descending).
func (s *State) ProfileSends(ctx context.Context, profileID string, since time.Time, limit int) ([]store.Send, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list sends of profile %s: %w", profileID, err)
	}
	out, err := s.querySends(ctx, sendColumns+`WHERE profile_id = ? AND created_at >= ?
		ORDER BY created_at DESC, key DESC LIMIT ?`, profileID, micro(since), limit)
	if err != nil {
		return nil, fmt.Errorf("list sends of profile %s: %w", profileID, err)
	}
	return out, nil
}

func (s *State) querySends(ctx context.Context, q string, args ...any) ([]store.Send, error) {
	rows, err := s.db.r.cachedQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Send
	for rows.Next() {
		sd, err := scanSend(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sd)
	}
	return out, rows.Err()
}

func scanSend(r scanner) (store.Send, error) {
	var (
		sd                    store.Send
		due, created, updated int64
		sent                  sql.NullInt64
		payload, content, pe  sql.NullString
	)
	if err := r.Scan(&sd.Key, &sd.JourneyID, &sd.Version, &sd.InstanceID, &sd.NodeID, &sd.ProfileID, &sd.Channel,
		&sd.TemplateID, &sd.Status, &sd.Reason, &sd.Attempts, &sd.ProviderID, &sd.To, &due, &created, &updated,
		&sent, &payload, &content, &pe); err != nil {
		return store.Send{}, err
	}
	sd.DueAt, sd.CreatedAt, sd.UpdatedAt = fromMicro(due), fromMicro(created), fromMicro(updated)
	if sent.Valid {
		t := fromMicro(sent.Int64)
		sd.SentAt = &t
	}
	sd.Payload = rawJSON(payload.String)
	sd.Content = rawJSON(content.String)
	sd.PendingEvent = rawJSON(pe.String)
	return sd, nil
}

// JourneySendCounts counts a journey's sends per node, status and reason,
// in that order.
func (s *State) JourneySendCounts(ctx context.Context, journeyID string) ([]store.SendCount, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT node_id, status, reason, count(*) FROM sends
		WHERE journey_id = ? GROUP BY node_id, status, reason ORDER BY node_id, status, reason`, journeyID)
	if err != nil {
		return nil, fmt.Errorf("count sends of journey %s: %w", journeyID, err)
	}
	defer rows.Close()
	var out []store.SendCount
	for rows.Next() {
		var c store.SendCount
		if err := rows.Scan(&c.Node, &c.Status, &c.Reason, &c.Count); err != nil {
			return nil, fmt.Errorf("count sends of journey %s: %w", journeyID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count sends of journey %s: %w", journeyID, err)
	}
	return out, nil
}

// InsertSend inserts a send outside a processor batch.
func (s *State) InsertSend(ctx context.Context, sd store.Send) error {
	args, err := sendArgs(nil, sd)
	if err != nil {
		return fmt.Errorf("insert send: %w", err)
	}
	err = inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sends ("+sendInsertColumns+") VALUES ("+placeholders(18)+")", args...)
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("insert send %s: %w", sd.Key, err)
	}
	return nil
}

// AddEngagement records a feedback fact on a send; recording it again is
// a no-op. ErrNotFound if the send does not exist.
func (s *State) AddEngagement(ctx context.Context, e store.Engagement) error {
	if e.Type == "" {
		return fmt.Errorf("add engagement to send %s: empty type", e.Key)
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO send_engagements (send_key, at, type, data) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, e.Key, micro(e.At), e.Type, e.Data)
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("add %s engagement to send %s: %w", e.Type, e.Key, err)
	}
	return nil
}

// Engagements lists the facts of a send, oldest first (equal times by type).
func (s *State) Engagements(ctx context.Context, key string) ([]store.Engagement, error) {
	rows, err := s.db.r.cachedQuery(ctx, "SELECT send_key, type, data, at FROM send_engagements WHERE send_key = ? ORDER BY at, type", key)
	if err != nil {
		return nil, fmt.Errorf("list engagements of send %s: %w", key, err)
	}
	defer rows.Close()
	var out []store.Engagement
	for rows.Next() {
		var (
			e  store.Engagement
			at int64
		)
		if err := rows.Scan(&e.Key, &e.Type, &e.Data, &at); err != nil {
			return nil, fmt.Errorf("list engagements of send %s: %w", key, err)
		}
		e.At = fromMicro(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list engagements of send %s: %w", key, err)
	}
	return out, nil
}

// ChannelSends lists sends of a channel in a status, by key after the cursor.
func (s *State) ChannelSends(ctx context.Context, channel, status, after string, limit int) ([]store.Send, error) {
	out, err := s.querySends(ctx, sendColumns+"WHERE channel = ? AND status = ? AND key > ? ORDER BY key LIMIT ?", channel, status, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s sends of channel %s: %w", status, channel, err)
	}
	return out, nil
}

// PendingEvents lists sends whose outcome event is not yet in the log.
func (s *State) PendingEvents(ctx context.Context, limit int) ([]store.Send, error) {
	out, err := s.querySends(ctx, sendColumns+"WHERE pending_event IS NOT NULL ORDER BY key LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("list pending send events: %w", err)
	}
	return out, nil
}

// ClearPendingEvents clears the listed sends' pending events that are
// still the listed ones, in one transaction.
func (s *State) ClearPendingEvents(ctx context.Context, list []store.PendingClear) error {
	if len(list) == 0 {
		return nil
	}
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		st := tx.StmtContext(ctx, s.apply.clearPending)
		for _, c := range list {
			if _, err := st.ExecContext(ctx, c.Key, string(c.Event)); err != nil {
				return fmt.Errorf("send %s: %w", c.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear %d pending send events: %w", len(list), err)
	}
	return nil
}
