package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

const sendColumns = "SELECT " + sendInsertColumns + ", content, pending_event FROM sends "

// GetSend returns one send.
func (s *State) GetSend(ctx context.Context, key string) (store.Send, error) {
	sd, err := scanSend(s.db.pool.QueryRow(ctx, sendColumns+"WHERE key = $1", key))
	if errors.Is(err, pgx.ErrNoRows) {
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
	sd, err := scanSend(s.db.pool.QueryRow(ctx, sendColumns+"WHERE channel = $1 AND provider_id = $2 ORDER BY key LIMIT 1",
		channel, providerID))
	if errors.Is(err, pgx.ErrNoRows) {
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
	out, err := s.querySends(ctx, sendColumns+"WHERE status = $1 AND due_at <= $2 ORDER BY due_at, key LIMIT $3",
		store.SendQueued, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due sends: %w", err)
	}
	return out, nil
}

// NextSendDue returns the earliest due time of the queued sends.
func (s *State) NextSendDue(ctx context.Context) (time.Time, bool, error) {
	var next *time.Time
	if err := s.db.pool.QueryRow(ctx, "SELECT min(due_at) FROM sends WHERE status = $1", store.SendQueued).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next send due: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return next.UTC(), true, nil
}

// SendsByStatus lists up to limit sends in status, by update time then key.
func (s *State) SendsByStatus(ctx context.Context, status string, limit int) ([]store.Send, error) {
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("list %s sends: %w", status, err)
	}
	out, err := s.querySends(ctx, sendColumns+"WHERE status = $1 ORDER BY updated_at, key LIMIT $2", status, limit)
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
	out, err := s.querySends(ctx, sendColumns+`WHERE profile_id = $1 AND created_at >= $2
		ORDER BY created_at DESC, key DESC LIMIT $3`, profileID, since, limit)
	if err != nil {
		return nil, fmt.Errorf("list sends of profile %s: %w", profileID, err)
	}
	return out, nil
}

func (s *State) querySends(ctx context.Context, q string, args ...any) ([]store.Send, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
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

func scanSend(r pgx.Row) (store.Send, error) {
	var (
		sd                   store.Send
		payload, content, pe *string
	)
	if err := r.Scan(&sd.Key, &sd.JourneyID, &sd.Version, &sd.InstanceID, &sd.NodeID, &sd.ProfileID, &sd.Channel,
		&sd.TemplateID, &sd.Status, &sd.Reason, &sd.Attempts, &sd.ProviderID, &sd.To, &sd.DueAt, &sd.CreatedAt,
		&sd.UpdatedAt, &sd.SentAt, &payload, &content, &pe); err != nil {
		return store.Send{}, err
	}
	sd.DueAt, sd.CreatedAt, sd.UpdatedAt = sd.DueAt.UTC(), sd.CreatedAt.UTC(), sd.UpdatedAt.UTC()
	if sd.SentAt != nil {
		t := sd.SentAt.UTC()
		sd.SentAt = &t
	}
	if payload != nil {
		sd.Payload = rawJSON(*payload)
	}
	if content != nil {
		sd.Content = rawJSON(*content)
	}
	if pe != nil {
		sd.PendingEvent = rawJSON(*pe)
	}
	return sd, nil
}

// JourneySendCounts counts a journey's sends per node, status and reason,
// in that order.
func (s *State) JourneySendCounts(ctx context.Context, journeyID string) ([]store.SendCount, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT node_id, status, reason, count(*) FROM sends
		WHERE journey_id = $1 GROUP BY node_id, status, reason ORDER BY node_id, status, reason`, journeyID)
	if err != nil {
		return nil, fmt.Errorf("count sends of journey %s: %w", journeyID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.SendCount, error) {
		var c store.SendCount
		err := r.Scan(&c.Node, &c.Status, &c.Reason, &c.Count)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("count sends of journey %s: %w", journeyID, err)
	}
	return nilIfNone(out), nil
}

// UpdateSend writes u.Status and every non-zero field of u.
func (s *State) UpdateSend(ctx context.Context, u store.SendUpdate) error {
	if u.Status == "" {
		return fmt.Errorf("update send %s: empty status", u.Key)
	}
	var attempts *int32
	var content, event *string
	if len(u.Event) > 0 {
		if !json.Valid(u.Event) {
			return fmt.Errorf("update send %s: event is not valid JSON", u.Key)
		}
		e := string(u.Event)
		event = &e
	}
	if len(u.Content) > 0 {
		if !json.Valid(u.Content) {
			return fmt.Errorf("update send %s: content is not valid JSON", u.Key)
		}
		c := string(u.Content)
		content = &c
	}
	if u.Attempts > 0 {
		n := int32(u.Attempts)
		attempts = &n
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE sends SET status = $1, reason = coalesce($2, reason),
		provider_id = coalesce($3, provider_id), address = coalesce($4, address), attempts = coalesce($5, attempts),
		due_at = coalesce($6, due_at), sent_at = coalesce($7, sent_at), updated_at = coalesce($8, updated_at),
		content = coalesce($9, content), pending_event = coalesce($10, pending_event)
		WHERE key = $11`, u.Status, emptyNil(u.Reason), emptyNil(u.ProviderID), emptyNil(u.To), attempts, zeroNil(u.DueAt),
		u.SentAt, zeroNil(u.At), content, event, u.Key)
	if err != nil {
		return fmt.Errorf("update send %s: %w", u.Key, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update send %s: %w", u.Key, store.ErrNotFound)
	}
	return nil
}

// emptyNil returns nil for "" (keep the column's value), else &v.
func emptyNil(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// zeroNil returns nil for the zero time (keep the column's value), else &t.
func zeroNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// InsertSend inserts a send outside a processor batch.
func (s *State) InsertSend(ctx context.Context, sd store.Send) error {
	if err := checkSend(sd); err != nil {
		return fmt.Errorf("insert send: %w", err)
	}
	p, err := nullJSON("payload", sd.Payload)
	if err != nil {
		return fmt.Errorf("insert send %s: %w", sd.Key, err)
	}
	if _, err := s.db.pool.Exec(ctx, "INSERT INTO sends ("+sendInsertColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		sd.Key, sd.JourneyID, sd.Version, sd.InstanceID, sd.NodeID, sd.ProfileID, sd.Channel, sd.TemplateID, sd.Status,
		sd.Reason, sd.Attempts, sd.ProviderID, sd.To, sd.DueAt, sd.CreatedAt, sd.UpdatedAt, sd.SentAt, p); err != nil {
		return fmt.Errorf("insert send %s: %w", sd.Key, classify(err))
	}
	return nil
}

// AddEngagement records a feedback fact on a send; recording it again is
// a no-op. ErrNotFound if the send does not exist.
func (s *State) AddEngagement(ctx context.Context, e store.Engagement) error {
	if e.Type == "" {
		return fmt.Errorf("add engagement to send %s: empty type", e.Key)
	}
	if _, err := s.db.pool.Exec(ctx, `INSERT INTO send_engagements (send_key, at, type, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, e.Key, e.At, e.Type, e.Data); err != nil {
		return fmt.Errorf("add %s engagement to send %s: %w", e.Type, e.Key, classify(err))
	}
	return nil
}

// Engagements lists the facts of a send, oldest first (equal times by type).
func (s *State) Engagements(ctx context.Context, key string) ([]store.Engagement, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT send_key, type, data, at FROM send_engagements WHERE send_key = $1 ORDER BY at, type", key)
	if err != nil {
		return nil, fmt.Errorf("list engagements of send %s: %w", key, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Engagement, error) {
		var e store.Engagement
		err := r.Scan(&e.Key, &e.Type, &e.Data, &e.At)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list engagements of send %s: %w", key, err)
	}
	return nilIfNone(out), nil
}

// ChannelSends lists sends of a channel in a status, by key after the cursor.
func (s *State) ChannelSends(ctx context.Context, channel, status, after string, limit int) ([]store.Send, error) {
	out, err := s.querySends(ctx, sendColumns+"WHERE channel = $1 AND status = $2 AND key > $3 ORDER BY key LIMIT $4", channel, status, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list %s sends of channel %s: %w", status, channel, err)
	}
	return out, nil
}

// PendingEvents lists sends whose outcome event is not yet in the log.
func (s *State) PendingEvents(ctx context.Context, limit int) ([]store.Send, error) {
	out, err := s.querySends(ctx, sendColumns+"WHERE pending_event IS NOT NULL ORDER BY key LIMIT $1", limit)
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
	keys, events := make([]string, len(list)), make([]string, len(list))
	for i, c := range list {
		keys[i], events[i] = c.Key, string(c.Event)
	}
	if _, err := s.db.pool.Exec(ctx, `UPDATE sends SET pending_event = NULL FROM unnest($1::text[], $2::text[]) AS c(key, event)
		WHERE sends.key = c.key AND sends.pending_event = c.event`, keys, events); err != nil {
		return fmt.Errorf("clear %d pending send events: %w", len(list), err)
	}
	return nil
}
