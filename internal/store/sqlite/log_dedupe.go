package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// pruneChunk bounds the events one PruneDedupe step reads, so appends can
// interleave.
const pruneChunk = 10_000

// pruneSlack is how far past the cut-off PruneDedupe reads on: received_at
// rises with seq except within a group commit, whose events wait at most a
// moment before they are written together.
const pruneSlack = time.Minute

// SetSortedSources names the sources whose message ids mostly ascend with
// time (Cairn's own events: segment.TimeOrderedID and ProfileOrderedID, and
// a few hashes, one per message sent): their dedupe records go to the
// dedupe table, where they append at the B-tree's right edge and cost no
// memory, while the random ids SDKs send go to the memory index. Set it
// before the first append of such a source, and keep it across restarts: a
// source's records are looked up in one place only.
func (l *Log) SetSortedSources(ids ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sorted = make(map[string]bool, len(ids))
	for _, id := range ids {
		l.sorted[id] = true
	}
	l.dedupe = nil // rebuilt without them on next use
}

// loadDedupe builds the dedupe index on first use, from the events that
// still hold a key. Callers hold l.mu.
func (l *Log) loadDedupe(ctx context.Context) error {
	if l.dedupe != nil {
		return nil
	}
	start := time.Now()
	var from, through, before int64
	if err := l.db.w.QueryRowContext(ctx, "SELECT dedupe_from, dedupe_through, dedupe_before FROM log_counters WHERE id = 1").
		Scan(&from, &through, &before); err != nil {
		return fmt.Errorf("load dedupe index: %w", err)
	}
	l.dedupeFrom, l.dedupeThrough, l.dedupeBefore = from, through, before
	// A snapshot that matches covers the events up to its head.
	x, after, err := l.readSnapshot(l.snapshotState())
	if err != nil {
		l.logger.WarnContext(ctx, "dedupe snapshot unreadable; rebuilding the index from the log", slog.Any("error", err))
	}
	if x == nil {
		x, after = newDedupeIndex(), 0
		l.snapshotHead = -1
	} else {
		l.snapshotHead = after
	}
	x.hashFn = l.dedupeHash
	// The scan runs on a reader; l.mu keeps writers out meanwhile.
	notSorted, sortedArgs := l.notSortedClause()
	rows, err := l.db.r.QueryContext(ctx,
		"SELECT seq, "+keyColumns+" FROM events WHERE seq >= ? AND (seq >= ? OR received_at >= ?)"+notSorted+" ORDER BY seq",
		append([]any{max(from, after+1), through, before}, sortedArgs...)...) // one seq bound, so SQLite seeks to it
	if err != nil {
		return fmt.Errorf("load dedupe index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq  int64
			k    dedupeKey
			meta sql.RawBytes
		)
		err := rows.Scan(&seq, &k.source, &k.message, &meta)
		if err == nil {
			k, err = rowKey(k, meta)
		}
		if err != nil {
			return fmt.Errorf("load dedupe index: event %d: %w", seq, err)
		}
		h := x.hash(k)
		old := x.seqs.get(h)
		if old == 0 {
			x.seqs.set(h, seq)
			continue
		}
		// The key sent again after its window (the newer event wins), or
		// another key with the same hash (k goes to overflow): the older
		// event's key tells which.
		var (
			prev     dedupeKey
			prevMeta []byte
		)
		err = l.db.w.QueryRowContext(ctx, "SELECT "+keyColumns+" FROM events WHERE seq = ?", old).
			Scan(&prev.source, &prev.message, &prevMeta)
		if err == nil {
			prev, err = rowKey(prev, prevMeta)
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("load dedupe index: event %d: %w", old, err)
		}
		x.put(h, k, seq, err == nil && prev != k)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load dedupe index: %w", err)
	}
	l.dedupe = x
	l.countKeys()
	l.logger.InfoContext(ctx, "loaded dedupe index", slog.Int("keys", x.len()), slog.Bool("from_snapshot", after > 0),
		slog.Int64("seqs_after_snapshot", l.head-after), slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	return nil
}

// PruneDedupe forgets the keys of events received before t, so a message id
// sent again after that is stored again. It reads the events in seq order
// from the oldest that may hold a key, a chunk at a time, until it has passed
// t by pruneSlack; the next prune, and the next load, start at the oldest
// event it kept.
func (l *Log) PruneDedupe(ctx context.Context, before time.Time) (int64, error) {
	p := pruneRun{cut: micro(before), stop: micro(before.Add(pruneSlack))}
	for !p.done {
		if err := l.pruneStep(ctx, &p); err != nil {
			return p.removed, fmt.Errorf("prune dedupe before %s: %w", before.Format(time.RFC3339), err)
		}
	}
	// Save the index (hourly, with the housekeeping prune), so a restart
	// after a crash reads at most the events appended since.
	l.mu.Lock()
	l.countKeys()
	if l.dedupe != nil && p.removed > int64(l.dedupe.seqs.len()) {
		l.dedupe.compact() // the table keeps its size after deletes: after a burst expires, give it back
	}
	if l.head != l.snapshotHead { // a prune that moved its state removed the snapshot
		if err := l.writeSnapshot(); err != nil { // the next open rebuilds instead
			l.logger.WarnContext(ctx, "save the dedupe index", slog.Any("error", err))
		}
	}
	l.mu.Unlock()
	n, err := l.pruneTable(ctx, before)
	return p.removed + n, err
}

// pruneTable deletes the dedupe table's records received before t, in
// chunks so that appends are not held up behind one long transaction.
func (l *Log) pruneTable(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := inTx(ctx, &l.mu, l.db.w, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM dedupe WHERE (source_id, message_id) IN (
				SELECT source_id, message_id FROM dedupe WHERE received_at < ? LIMIT ?)`, micro(before), pruneChunk)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune dedupe before %s: %w", before.Format(time.RFC3339), err)
		}
		total += n
		if n < pruneChunk {
			return total, nil
		}
	}
}

// notSortedClause leaves out the sorted sources' events, whose records are
// in the dedupe table: in SQL, so a log of mostly Cairn's own events is
// skipped at SQLite's pace rather than a row scan each. Callers hold l.mu.
func (l *Log) notSortedClause() (string, []any) {
	if len(l.sorted) == 0 {
		return "", nil
	}
	ids := slices.Sorted(maps.Keys(l.sorted))
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return " AND source_id NOT IN (" + placeholders(len(ids)) + ")", args
}

// pruneRun is the progress of one PruneDedupe.
type pruneRun struct {
	cut, stop int64 // received_at bounds, micros
	pos       int64 // next seq to read; 0 before the first step
	firstKept int64 // oldest seq read that keeps its key; 0 while none
	removed   int64
	done      bool
	changed   bool // the prune state moved (and the snapshot was removed)
}

func (l *Log) pruneStep(ctx context.Context, p *pruneRun) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.loadDedupe(ctx); err != nil {
		return err
	}
	if p.pos == 0 {
		p.pos = l.dedupeFrom
	}
	notSorted, sortedArgs := l.notSortedClause()
	rows, err := l.db.w.QueryContext(ctx,
		"SELECT seq, "+keyColumns+", received_at FROM events WHERE seq >= ?"+notSorted+" ORDER BY seq LIMIT ?",
		append(append([]any{p.pos}, sortedArgs...), pruneChunk)...)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		var (
			seq, recv int64
			k         dedupeKey
			meta      sql.RawBytes
		)
		err := rows.Scan(&seq, &k.source, &k.message, &meta, &recv)
		if err == nil {
			k, err = rowKey(k, meta)
		}
		if err != nil {
			rows.Close()
			return fmt.Errorf("event %d: %w", seq, err)
		}
		n++
		p.pos = seq + 1
		if recv < p.cut {
			if l.dedupe.remove(k, seq) {
				p.removed++
			}
		} else if p.firstKept == 0 {
			p.firstKept = seq
		}
		if recv >= p.stop {
			p.done = true
			break
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n < pruneChunk {
		p.done = true
	}
	from := p.pos
	if p.firstKept != 0 {
		from = p.firstKept
	}
	// Cut-offs only rise in use (now minus the window), and the larger one
	// over the larger range holds what both prunes forgot.
	// A prune that forgot nothing and starts where the last one did leaves
	// the state (and so the snapshot) as it was: what the index holds is
	// what the state already loads. The hourly prune of a log younger than
	// the window is such a prune.
	through, before := max(l.dedupeThrough, p.pos), max(l.dedupeBefore, p.cut)
	if from == l.dedupeFrom && (p.removed == 0 || through == l.dedupeThrough && before == l.dedupeBefore) {
		return nil
	}
	if !p.changed {
		if err := l.removeSnapshot(); err != nil {
			return err
		}
		p.changed = true
	}
	if _, err := l.db.w.ExecContext(ctx, "UPDATE log_counters SET dedupe_from = ?, dedupe_through = ?, dedupe_before = ? WHERE id = 1",
		from, through, before); err != nil {
		return err
	}
	l.dedupeFrom, l.dedupeThrough, l.dedupeBefore = from, through, before
	return nil
}
