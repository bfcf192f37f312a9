package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

type erased struct {
	seq             int64
	source, message string
}

// Erase deletes the events with the given sequence numbers, every event and
// rejection containing one of needles, and their dedupe records, then
// truncates the WAL so no copy remains on disk.
func (l *Log) Erase(ctx context.Context, seqs []int64, needles []string) (int, error) {
	for i, n := range needles {
		if n == "" {
			return 0, fmt.Errorf("erase: needle %d is empty and would match every event; pass the identifiers to erase", i)
		}
	}
	if len(seqs) == 0 && len(needles) == 0 {
		return 0, nil
	}
	var (
		count   int
		targets []erased
	)
	l.mu.Lock()
	defer l.mu.Unlock()
	// An index not loaded yet needs no update: it will be built without
	// the erased events, since the snapshot goes.
	if err := l.removeSnapshot(); err != nil { // it may hold erased message ids
		return 0, fmt.Errorf("erase: %w", err)
	}
	err := inTxLocked(ctx, l.db.w, func(tx *sql.Tx) error {
		var err error
		if targets, err = eraseTargets(ctx, tx, seqs, needles); err != nil {
			return err
		}
		delDedupe, err := tx.PrepareContext(ctx,
			"DELETE FROM dedupe WHERE source_id = ? AND message_id = ? AND seq = ?")
		if err != nil {
			return err
		}
		defer delDedupe.Close()
		for _, t := range targets {
			if _, err := delDedupe.ExecContext(ctx, t.source, t.message, t.seq); err != nil {
				return fmt.Errorf("delete dedupe record of seq %d: %w", t.seq, err)
			}
		}
		for chunk := range slices.Chunk(targets, maxParams) {
			args := make([]any, len(chunk))
			for i, t := range chunk {
				args[i] = t.seq
			}
			res, err := tx.ExecContext(ctx, "DELETE FROM events WHERE seq IN ("+placeholders(len(chunk))+")", args...)
			if err != nil {
				return fmt.Errorf("delete events: %w", err)
			}
			n, _ := res.RowsAffected()
			count += int(n)
		}
		if len(needles) > 0 {
			where, args := needleWhere(needles, "excerpt", "detail", "message_id", "field")
			if _, err := tx.ExecContext(ctx, "DELETE FROM rejections WHERE "+where, args...); err != nil {
				return fmt.Errorf("delete rejections: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("erase: %w", err)
	}
	l.sync.committedTx(l.head)
	if _, err := l.Sync(ctx); err != nil {
		return 0, fmt.Errorf("erase: %w", err)
	}
	for _, t := range targets {
		if l.dedupe != nil && !l.sorted[t.source] {
			l.dedupe.remove(dedupeKey{t.source, t.message}, t.seq)
		}
	}
	l.countKeys()
	if err := l.writeSnapshot(); err != nil { // without the erased keys; else the next open rebuilds
		l.logger.WarnContext(ctx, "save the dedupe index after an erasure", slog.Any("error", err))
	}
	busy, err := l.db.walTruncate(ctx)
	if err != nil {
		return count, fmt.Errorf("erase: %w", err)
	}
	if busy {
		l.logger.WarnContext(ctx, "wal checkpoint after erase was blocked by readers; it completes on a later checkpoint",
			slog.Int("erased", count))
	}
	return count, nil
}

// eraseTargets finds the events to erase: by seq and by needle. A needle
// erases the events whose body contains it; since meta version 2 the body
// is the tail of meta, after fields a needle must not match (a channel or
// an event name), so those rows are checked here after SQL's instr.
func eraseTargets(ctx context.Context, tx *sql.Tx, seqs []int64, needles []string) ([]erased, error) {
	var out []erased
	byteNeedles := make([][]byte, len(needles))
	for i, n := range needles {
		byteNeedles[i] = []byte(n)
	}
	scan := func(q string, args []any, check bool) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("find events to erase: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				t    erased
				k    dedupeKey
				meta sql.RawBytes
			)
			err := rows.Scan(&t.seq, &k.source, &k.message, &meta)
			if err == nil {
				k, err = rowKey(k, meta)
			}
			if err != nil {
				return fmt.Errorf("find events to erase: event %d: %w", t.seq, err)
			}
			if check {
				body, err := metaBody(meta)
				if err != nil {
					return fmt.Errorf("find events to erase: event %d: %w", t.seq, err)
				}
				if !slices.ContainsFunc(byteNeedles, func(n []byte) bool { return bytes.Contains(body, n) }) {
					continue
				}
			}
			t.source, t.message = k.source, k.message
			out = append(out, t)
		}
		return rows.Err()
	}
	for chunk := range slices.Chunk(seqs, maxParams) {
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		if err := scan("SELECT seq, "+keyColumns+" FROM events WHERE seq IN ("+placeholders(len(chunk))+")", args, false); err != nil {
			return nil, err
		}
	}
	if len(needles) > 0 {
		where, args := needleWhere(needles, "raw")
		if err := scan("SELECT seq, "+keyColumns+" FROM events WHERE "+where, args, false); err != nil {
			return nil, err
		}
		where, args = needleWhere(needles, "meta")
		if err := scan("SELECT seq, "+keyColumns+" FROM events WHERE substr(meta, 1, 1) = "+metaVersionLiteral+" AND ("+where+")", args, true); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b erased) int { return cmp.Compare(a.seq, b.seq) })
	return slices.CompactFunc(out, func(a, b erased) bool { return a.seq == b.seq }), nil
}

// needleWhere matches rows where any column contains any needle. Needles
// bind as BLOBs for the BLOB columns raw and meta, so instr compares bytes.
func needleWhere(needles []string, cols ...string) (string, []any) {
	var (
		b    strings.Builder
		args []any
	)
	for _, n := range needles {
		for _, c := range cols {
			if len(args) > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString("instr(" + c + ", ?) > 0")
			if c == "raw" || c == "meta" {
				args = append(args, []byte(n))
			} else {
				args = append(args, n)
			}
		}
	}
	return b.String(), args
}
