package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// appendChunk is the number of events deduplicated and inserted together.
const appendChunk = 256

type dedupeKey struct{ source, message string }

// appendScratch is reused by every Append; guarded by Log.mu.
type appendScratch struct {
	args   []any
	prior  []priorKey          // per event of the chunk: what the log already holds for its key
	probe  []int64             // seqs the memory index names for the chunk's keys
	stored map[int64]storedKey // those events' keys, read back to verify
	found  map[dedupeKey]int64 // received_at of the dedupe table's records
	keep   []int               // indexes of the chunk's events to store
	puts   []dedupePut         // memory index updates, applied once the transaction commits
	fresh  bool                // the batch is AppendBatch.Fresh: its keys are neither looked up nor recorded
}

// Append deduplicates and appends b in one transaction and flushes it to
// disk. A repeated (SourceID, MessageID) inside b is a duplicate of its
// first occurrence.
func (l *Log) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	dup, err := l.AppendUnsynced(ctx, b)
	if err != nil {
		return nil, err
	}
	if _, err := l.Sync(ctx); err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	return dup, nil
}

// AppendUnsynced is Append without the flush: b is committed when it
// returns, and durable (and visible to Read) once a Sync covers it.
func (l *Log) AppendUnsynced(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	if err := l.failed(); err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	dup := make([]bool, len(b.Events))
	if len(b.Events) == 0 && len(b.Rejections) == 0 {
		return dup, nil
	}
	// Candidates: first occurrences of each key inside the batch.
	cand := make([]int, 0, len(b.Events))
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
	}
	since := micro(b.DedupeSince)

	l.mu.Lock()
	defer l.mu.Unlock()
	// A batch of sorted sources only (the processor's own events: all a
	// rebuild appends), or a fresh one, needs no memory index, so it does
	// not load one.
	if !b.Fresh && slices.ContainsFunc(b.Events, func(e *event.Event) bool { return !l.sorted[e.SourceID] }) {
		if err := l.loadDedupe(ctx); err != nil {
			return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
		}
	}
	if err := l.stmts.ensure(ctx, l.db.w, min(len(cand), appendChunk), l.fast == nil); err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	head := l.head
	l.scratch.puts = l.scratch.puts[:0]
	l.scratch.fresh = b.Fresh
	err := inTxLocked(ctx, l.db.w, func(tx *sql.Tx) error {
		for start := 0; start < len(cand); start += appendChunk {
			chunk := cand[start:min(start+appendChunk, len(cand))]
			var err error
			if head, err = l.appendChunk(ctx, tx, b.Events, chunk, since, head, dup); err != nil {
				return err
			}
		}
		if len(b.Rejections) > 0 {
			insReject := tx.StmtContext(ctx, l.insReject)
			for i, r := range b.Rejections {
				if _, err := insReject.ExecContext(ctx, r.SourceID, r.MessageID, r.Reason, r.Detail, r.Field,
					r.Excerpt, micro(r.ReceivedAt)); err != nil {
					return fmt.Errorf("insert rejection %d: %w", i, err)
				}
			}
		}
		n, stored := int64(len(b.Events)), head-l.head
		if _, err := tx.StmtContext(ctx, l.updCounters).ExecContext(ctx, n, stored, n-stored,
			int64(len(b.Rejections)), head, b.Outbox.Epoch, b.Outbox.ID); err != nil {
			return fmt.Errorf("update counters: %w", err)
		}
		return nil
	})
	if err != nil {
		for i := range dup {
			dup[i] = false
		}
		return nil, fmt.Errorf("append %d events: %w", len(b.Events), err)
	}
	for _, p := range l.scratch.puts {
		// Keys inside a batch are distinct, so an entry this batch already
		// put under the same hash belongs to another key.
		taken := p.hashTaken || l.dedupe.seqs.get(p.hash) > l.head
		l.dedupe.put(p.hash, p.key, p.seq, taken)
	}
	clear(l.scratch.puts) // drop references to message ids
	l.countKeys()
	seq := l.head
	for i, e := range b.Events {
		if !dup[i] {
			seq++
			e.Seq = seq
		}
	}
	l.head = head
	l.sync.committedTx(head)
	return dup, nil
}

// appendChunk dedupes and inserts the events evs[chunk...], whose keys are
// distinct, marking duplicates in dup. It returns the new head.
func (l *Log) appendChunk(ctx context.Context, tx *sql.Tx, evs []*event.Event, chunk []int, since, head int64, dup []bool) (int64, error) {
	sc := &l.scratch
	if err := l.findStored(ctx, tx, evs, chunk); err != nil {
		return head, err
	}
	keep, args := sc.keep[:0], sc.args[:0]
	for n, i := range chunk {
		e, pr := evs[i], sc.prior[n]
		if pr.found && pr.recv >= since {
			dup[i] = true
			continue
		}
		seq := head + int64(len(keep)) + 1
		switch {
		case pr.fresh: // never appended before (AppendBatch.Fresh): no record
		case pr.sorted:
			args = append(args, e.SourceID, e.MessageID, seq, micro(e.ReceivedAt))
		default:
			sc.puts = append(sc.puts, dedupePut{hash: pr.hash, key: dedupeKey{e.SourceID, e.MessageID}, seq: seq, hashTaken: pr.hashTaken})
		}
		keep = append(keep, i)
	}
	sc.keep = keep
	if len(args) > 0 {
		if err := l.stmts.upsert.exec(ctx, tx, args); err != nil {
			return head, fmt.Errorf("record dedupe keys: %w", err)
		}
	}
	if len(keep) == 0 {
		sc.args = args[:0]
		return head, nil
	}

	sc.args = args[:0]
	if err := l.insertEvents(ctx, tx, evs, keep, head); err != nil {
		return head, err
	}
	return head + int64(len(keep)), nil
}

// appendStmts are the multi-row statements of Append.
type appendStmts struct {
	lookup, upsert, insert *multiRow
}

func newAppendStmts() appendStmts {
	return appendStmts{
		lookup: newMultiRow("SELECT d.source_id, d.message_id, d.received_at FROM (VALUES ", 2,
			") AS v JOIN dedupe d ON d.source_id = v.column1 AND d.message_id = v.column2"),
		upsert: newMultiRow("INSERT INTO dedupe (source_id, message_id, seq, received_at) VALUES ", 4,
			" ON CONFLICT (source_id, message_id) DO UPDATE SET seq = excluded.seq, received_at = excluded.received_at"),
		insert: newMultiRowTemplate(insertEventsPrefix, insertEventsRow, eventsCols, ""),
	}
}

func (a *appendStmts) ensure(ctx context.Context, db *sql.DB, rows int, insert bool) error {
	err := errors.Join(a.lookup.ensure(ctx, db, rows), a.upsert.ensure(ctx, db, rows))
	if insert {
		err = errors.Join(err, a.insert.ensure(ctx, db, rows))
	}
	return err
}

func (a *appendStmts) close() error {
	return errors.Join(a.lookup.close(), a.upsert.close(), a.insert.close())
}
