package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Erase deletes the events with the given sequence numbers, every event and
// rejection containing one of needles, and their dedupe records.
func (l *Log) Erase(ctx context.Context, seqs []int64, needles []string) (int, error) {
	for i, n := range needles {
		if n == "" {
			return 0, fmt.Errorf("erase: needle %d is empty and would match every event; pass the identifiers to erase", i)
		}
	}
	if len(seqs) == 0 && len(needles) == 0 {
		return 0, nil
	}
	if seqs == nil {
		seqs = []int64{}
	}
	var count int
	err := inTx(ctx, l.db.pool, func(tx pgx.Tx) error {
		// Serialize with Append so no event can slip past the scan.
		if _, err := tx.Exec(ctx, "SELECT 1 FROM log_counters WHERE id = 1 FOR UPDATE"); err != nil {
			return fmt.Errorf("lock log: %w", err)
		}
		where := "seq = ANY($1)"
		args := []any{seqs}
		for _, n := range needles {
			args = append(args, []byte(n))
			where += fmt.Sprintf(" OR position($%d::bytea in raw) > 0", len(args))
		}
		err := tx.QueryRow(ctx, `WITH gone AS (DELETE FROM events WHERE `+where+` RETURNING seq, source_id, message_id),
			forgotten AS (DELETE FROM dedupe d USING gone g
				WHERE d.source_id = g.source_id AND d.message_id = g.message_id AND d.seq = g.seq)
			SELECT count(*) FROM gone`, args...).Scan(&count)
		if err != nil {
			return fmt.Errorf("delete events: %w", err)
		}
		if len(needles) > 0 {
			var conds []string
			rargs := make([]any, 0, len(needles))
			for _, n := range needles {
				rargs = append(rargs, n)
				p := len(rargs)
				conds = append(conds, fmt.Sprintf("strpos(excerpt, $%[1]d) > 0 OR strpos(detail, $%[1]d) > 0 OR "+
					"strpos(message_id, $%[1]d) > 0 OR strpos(field, $%[1]d) > 0", p))
			}
			if _, err := tx.Exec(ctx, "DELETE FROM rejections WHERE "+strings.Join(conds, " OR "), rargs...); err != nil {
				return fmt.Errorf("delete rejections: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("erase: %w", err)
	}
	return count, nil
}

// PruneDedupe forgets dedupe records received before t.
func (l *Log) PruneDedupe(ctx context.Context, before time.Time) (int64, error) {
	tag, err := l.db.pool.Exec(ctx, "DELETE FROM dedupe WHERE received_at < $1", before)
	if err != nil {
		return 0, fmt.Errorf("prune dedupe before %s: %w", before.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}
