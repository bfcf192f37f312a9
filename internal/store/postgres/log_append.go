package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

type dedupeKey struct{ source, message string }

var eventCopyColumns = []string{"seq", "source_id", "channel", "message_id", "type", "user_id", "anonymous_id",
	"previous_id", "group_id", "name", "timestamp", "received_at", "sent_at", "original_timestamp", "raw"}

// Append deduplicates and appends b in one transaction. Appends serialize on
// the log_counters row, which also holds the head.
func (l *Log) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	dup := make([]bool, len(b.Events))
	if len(b.Events) == 0 && len(b.Rejections) == 0 {
		return dup, nil
	}
	var (
		cand     []int
		sources  []string
		messages []string
	)
	seen := make(map[dedupeKey]struct{}, len(b.Events))
	for i, e := range b.Events {
		if e == nil || e.SourceID == "" || e.MessageID == "" {
			return nil, fmt.Errorf("append: event %d has no source id or message id; set both before appending", i)
		}
		k := dedupeKey{e.SourceID, e.MessageID}
		if _, ok := seen[k]; ok {
			dup[i] = true
			continue
		}
		seen[k] = struct{}{}
		cand = append(cand, i)
		sources = append(sources, e.SourceID)
		messages = append(messages, e.MessageID)
	}
	var first int64 // seq of the first stored event
	err := inTx(ctx, l.db.pool, func(tx pgx.Tx) error {
		var head int64
		if err := tx.QueryRow(ctx, "SELECT head FROM log_counters WHERE id = 1 FOR UPDATE").Scan(&head); err != nil {
			return fmt.Errorf("lock head: %w", err)
		}
		first = head + 1
		found := make(map[dedupeKey]time.Time)
		if len(cand) > 0 {
			rows, err := tx.Query(ctx, `SELECT d.source_id, d.message_id, d.received_at
				FROM unnest($1::text[], $2::text[]) AS k(s, m) JOIN dedupe d ON d.source_id = k.s AND d.message_id = k.m`,
				sources, messages)
			if err != nil {
				return fmt.Errorf("look up dedupe records: %w", err)
			}
			for rows.Next() {
				var (
					k  dedupeKey
					at time.Time
				)
				if err := rows.Scan(&k.source, &k.message, &at); err != nil {
					rows.Close()
					return fmt.Errorf("look up dedupe records: %w", err)
				}
				found[k] = at
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("look up dedupe records: %w", err)
			}
		}
		var (
			keepSrc, keepMsg []string
			keepSeq          []int64
			keepRecv         []time.Time
			copyRows         [][]any
		)
		seq := head
		for _, i := range cand {
			e := b.Events[i]
			if at, ok := found[dedupeKey{e.SourceID, e.MessageID}]; ok && !at.Before(b.DedupeSince) {
				dup[i] = true
				continue
			}
			seq++
			keepSrc, keepMsg = append(keepSrc, e.SourceID), append(keepMsg, e.MessageID)
			keepSeq, keepRecv = append(keepSeq, seq), append(keepRecv, e.ReceivedAt)
			raw := []byte(e.Raw)
			if raw == nil {
				raw = []byte{}
			}
			copyRows = append(copyRows, []any{seq, e.SourceID, e.Channel, e.MessageID, string(e.Type), e.UserID,
				e.AnonymousID, e.PreviousID, e.GroupID, e.Name, e.Timestamp, e.ReceivedAt,
				nullTime(e.SentAt), nullTime(e.OriginalTimestamp), raw})
		}
		if len(copyRows) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO dedupe (source_id, message_id, seq, received_at)
				SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
				ON CONFLICT (source_id, message_id) DO UPDATE SET seq = excluded.seq, received_at = excluded.received_at`,
				keepSrc, keepMsg, keepSeq, keepRecv); err != nil {
				return fmt.Errorf("record dedupe keys: %w", err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"events"}, eventCopyColumns, pgx.CopyFromRows(copyRows)); err != nil {
				return fmt.Errorf("insert events: %w", err)
			}
		}
		for i, r := range b.Rejections {
			if _, err := tx.Exec(ctx, `INSERT INTO rejections (source_id, message_id, reason, detail, field, excerpt, received_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.SourceID, r.MessageID, r.Reason, r.Detail, r.Field, r.Excerpt, r.ReceivedAt); err != nil {
				return fmt.Errorf("insert rejection %d: %w", i, err)
			}
		}
		n, stored := int64(len(b.Events)), seq-head
		// $6/$7: the outbox batch appended (store.OutboxMark); an id of 0
		// keeps the mark. Fresh batches are deduplicated all the same here.
		if _, err := tx.Exec(ctx, `UPDATE log_counters SET received = received + $1, stored = stored + $2,
			duplicates = duplicates + $3, rejected = rejected + $4, head = $5,
			outbox_epoch = CASE WHEN $7::bigint = 0 THEN outbox_epoch ELSE $6::bigint END,
			outbox_id = CASE WHEN $7::bigint = 0 THEN outbox_id ELSE $7::bigint END WHERE id = 1`,
			n, stored, n-stored, len(b.Rejections), seq, b.Outbox.Epoch, b.Outbox.ID); err != nil {
			return fmt.Errorf("update counters: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	seq := first
	for i, e := range b.Events {
		if !dup[i] {
			e.Seq = seq
			seq++
		}
	}
	return dup, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
