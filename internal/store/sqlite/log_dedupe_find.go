package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/cairn-cdp/cairn/internal/event"
)

// priorKey is what the log holds for one key before an append.
type priorKey struct {
	found      bool  // an event with the key is stored (and its key not forgotten)
	recv       int64 // its received_at
	sorted     bool  // the key's source is sorted: its record is in the dedupe table
	fresh      bool  // the batch is fresh (AppendBatch.Fresh): not looked up, not recorded
	hash       uint64
	main, over int64 // the seqs the memory index names for the key (0: none)
	hashTaken  bool  // the memory index holds another key under hash
}

// storedKey is the key and receipt time of a stored event.
type storedKey struct {
	key  dedupeKey
	recv int64
}

// dedupePut is a memory index update of a committed event.
type dedupePut struct {
	hash      uint64
	key       dedupeKey
	seq       int64
	hashTaken bool
}

// findStored fills l.scratch.prior for the events evs[chunk...]: from the
// memory index, verified against the events it names, and from the dedupe
// table for the sorted sources.
func (l *Log) findStored(ctx context.Context, tx *sql.Tx, evs []*event.Event, chunk []int) error {
	sc, x := &l.scratch, l.dedupe
	sc.prior, sc.probe, sc.args = slices.Grow(sc.prior[:0], len(chunk))[:len(chunk)], sc.probe[:0], sc.args[:0]
	for n, i := range chunk {
		k := dedupeKey{evs[i].SourceID, evs[i].MessageID}
		if sc.fresh {
			sc.prior[n] = priorKey{fresh: true}
			continue
		}
		if l.sorted[k.source] {
			sc.args = append(sc.args, k.source, k.message)
			sc.prior[n] = priorKey{sorted: true}
			continue
		}
		h := x.hash(k)
		m, o := x.candidates(h, k)
		sc.prior[n] = priorKey{hash: h, main: m, over: o}
		if m != 0 {
			sc.probe = append(sc.probe, m)
		}
		if o != 0 {
			sc.probe = append(sc.probe, o)
		}
	}
	clear(sc.found)
	if len(sc.args) > 0 {
		if err := l.stmts.lookup.query(ctx, tx, sc.args, func(rows *sql.Rows) error {
			var (
				k    dedupeKey
				recv int64
			)
			if err := rows.Scan(&k.source, &k.message, &recv); err != nil {
				return err
			}
			sc.found[k] = recv
			return nil
		}); err != nil {
			return fmt.Errorf("look up dedupe records: %w", err)
		}
	}
	clear(sc.stored)
	if err := readKeys(ctx, tx, sc.probe, sc.stored); err != nil {
		return fmt.Errorf("verify dedupe candidates: %w", err)
	}
	for n, i := range chunk {
		k, pr := dedupeKey{evs[i].SourceID, evs[i].MessageID}, &sc.prior[n]
		if pr.fresh {
			continue
		}
		if pr.sorted {
			pr.recv, pr.found = sc.found[k]
			continue
		}
		if r, ok := sc.stored[pr.main]; pr.main != 0 && ok {
			if r.key == k {
				pr.found, pr.recv = true, r.recv
				continue
			}
			pr.hashTaken = true
		}
		if r, ok := sc.stored[pr.over]; pr.over != 0 && ok && r.key == k {
			pr.found, pr.recv = true, r.recv
		}
	}
	return nil
}

// readKeys reads the keys and receipt times of the events at seqs into out;
// an erased event is absent.
func readKeys(ctx context.Context, tx *sql.Tx, seqs []int64, out map[int64]storedKey) error {
	for chunk := range slices.Chunk(seqs, maxParams) {
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		rows, err := tx.QueryContext(ctx, "SELECT seq, "+keyColumns+", received_at FROM events WHERE seq IN ("+
			placeholders(len(chunk))+")", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				seq  int64
				k    storedKey
				meta sql.RawBytes
			)
			err := rows.Scan(&seq, &k.key.source, &k.key.message, &meta, &k.recv)
			if err == nil {
				k.key, err = rowKey(k.key, meta)
			}
			if err != nil {
				rows.Close()
				return fmt.Errorf("event %d: %w", seq, err)
			}
			out[seq] = k
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// keyColumns are what an events row's key is read from: rows written with
// meta version 2 hold the message id in meta (event_meta.go), older rows
// in message_id.
const keyColumns = "source_id, message_id, meta"

// rowKey completes a key read from keyColumns.
func rowKey(k dedupeKey, meta []byte) (dedupeKey, error) {
	id, ok, err := metaMessageID(meta)
	if ok {
		k.message = id
	}
	return k, err
}
