package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
)

// eventBinder takes the bound values of an events row in order.
type eventBinder interface {
	int64(v int64)
	text(v string)
	// scratchBlob binds a blob the caller reuses after the call.
	scratchBlob(v []byte)
	null()
}

// The events insert: the message id, channel, type, identifiers and body go
// in one blob, meta (event_meta.go), and their old columns get empty
// literals in the statement itself, which bind nothing: each bound string
// or blob is a copy into SQLite's memory, with an allocation and a free.
const (
	insertEventsPrefix = "INSERT INTO events (seq, source_id, message_id, channel, type, user_id, anonymous_id, " +
		"previous_id, group_id, name, timestamp, received_at, sent_at, original_timestamp, raw, meta) VALUES "
	insertEventsRow = "(?, ?, '', '', '', '', '', '', '', '', ?, ?, ?, ?, X'', ?)"
	eventsCols      = 7 // bound values per row
)

// bindEvent gives b the bound values of e's events row at seq: the one
// definition of the row that both insert paths (database/sql arguments, or
// the driver's own statement) write. buf is scratch for the meta blob; the
// grown buffer is returned.
func bindEvent(b eventBinder, seq int64, e *event.Event, buf []byte) []byte {
	b.int64(seq)
	b.text(e.SourceID)
	b.int64(micro(e.Timestamp))
	b.int64(micro(e.ReceivedAt))
	for _, t := range [...]time.Time{e.SentAt, e.OriginalTimestamp} {
		if t.IsZero() { // stored as NULL, as nullMicro does
			b.null()
		} else {
			b.int64(micro(t))
		}
	}
	buf = appendEventMeta(buf[:0], e)
	b.scratchBlob(buf)
	return buf
}

// argBinder collects a row as database/sql arguments.
type argBinder struct{ args []any }

func (a *argBinder) int64(v int64) { a.args = append(a.args, v) }
func (a *argBinder) text(v string) { a.args = append(a.args, v) }
func (a *argBinder) scratchBlob(v []byte) {
	a.args = append(a.args, append([]byte(nil), v...))
}
func (a *argBinder) null() { a.args = append(a.args, nil) }

// eventInserter writes events rows on the writer's own connection inside
// the transaction database/sql has open on it; nil where the driver offers
// no such access (see log_insert_ncruces.go).
type eventInserter interface {
	insert(evs []*event.Event, keep []int, head int64) error
	close() error
}

// insertEvents writes the events evs[keep...] at seqs head+1, head+2, ...
func (l *Log) insertEvents(ctx context.Context, tx *sql.Tx, evs []*event.Event, keep []int, head int64) error {
	if l.fast != nil {
		if err := l.fast.insert(evs, keep, head); err != nil {
			return fmt.Errorf("insert events: %w", err)
		}
		return nil
	}
	b := argBinder{args: l.scratch.args[:0]}
	var buf []byte
	for n, i := range keep {
		buf = bindEvent(&b, head+int64(n)+1, evs[i], buf)
	}
	err := l.stmts.insert.exec(ctx, tx, b.args)
	clear(b.args) // drop references to event bodies
	l.scratch.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	return nil
}
