package store

import (
	"context"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
)

// Rejection is an event dropped at ingest (or import), kept where an operator
// can see it. Excerpt is a truncated copy of the offending JSON.
type Rejection struct {
	ID         int64     `json:"id"`
	SourceID   string    `json:"source_id"`
	MessageID  string    `json:"message_id,omitempty"`
	Reason     string    `json:"reason"`          // stable code, e.g. missing_identifier
	Detail     string    `json:"detail"`          // human sentence: what, where, how to fix
	Field      string    `json:"field,omitempty"` // JSON path of the problem, e.g. batch[3].userId
	Excerpt    string    `json:"excerpt"`         // at most 1 KiB of the event
	ReceivedAt time.Time `json:"received_at"`
}

// AppendBatch is what one group commit writes: events to deduplicate and
// append, and rejections to record, all in one durable transaction.
type AppendBatch struct {
	Events     []*event.Event
	Rejections []Rejection
	// DedupeSince is the start of the dedupe window: an earlier (source,
	// messageId) record no longer counts as a duplicate and is replaced.
	DedupeSince time.Time
	// Outbox, when its ID is set, is the processor outbox batch the events
	// publish: a log that keeps an OutboxMark records it in the same
	// transaction, so that after a crash the processor re-appends a batch
	// only when the mark shows it was not committed.
	Outbox OutboxMark
	// Fresh promises that no event of the batch was appended before (the
	// processor publishing an outbox batch under the mark): a log may then
	// skip deduplication and keep no dedupe record of these events.
	Fresh bool
}

// OutboxMark names the last processor outbox batch a log committed: Epoch
// is the state store's OutboxEpoch (outbox ids restart with a new state
// store), ID the batch (OutboxBatch.ID).
type OutboxMark struct {
	Epoch int64 `json:"epoch"`
	ID    int64 `json:"id"`
}

// OutboxMarker is a log that records the last outbox batch it committed
// (AppendBatch.Outbox).
type OutboxMarker interface {
	OutboxMark(ctx context.Context) (OutboxMark, error)
}

// LogStats are the log's persistent counters.
type LogStats struct {
	Received   int64 `json:"received"`   // events offered to Append (stored + duplicates)
	Stored     int64 `json:"stored"`     // events appended
	Duplicates int64 `json:"duplicates"` // events acknowledged as duplicates
	Rejected   int64 `json:"rejected"`   // rejections recorded
	Head       int64 `json:"head"`       // highest sequence number appended
}

// Log is the durable, ordered event log. Append is durable when it returns
// (fsync'd, not only written): the ingest API acknowledges only after it.
type Log interface {
	// Append deduplicates on (SourceID, MessageID) and appends the rest in
	// order, assigning Seq to each appended event. dup[i] reports that
	// b.Events[i] was a duplicate and was not stored (its Seq stays 0).
	Append(ctx context.Context, b AppendBatch) (dup []bool, err error)
	// Read returns up to limit events with Seq > after, in Seq order.
	Read(ctx context.Context, after int64, limit int) ([]*event.Event, error)
	// Get returns the events with the given sequence numbers (missing ones are skipped), in Seq order.
	Get(ctx context.Context, seqs []int64) ([]*event.Event, error)
	// Stats returns the persistent counters.
	Stats(ctx context.Context) (LogStats, error)
	// Rejections lists recorded rejections, newest first, with ID < before (0 = from the newest).
	Rejections(ctx context.Context, sourceID string, before int64, limit int) ([]Rejection, error)
	// Erase deletes the events with the given sequence numbers, every other
	// event and rejection whose JSON contains any of needles (exact substring),
	// and the dedupe records of everything erased, so that no copy remains and
	// a rebuild from the log cannot bring it back. It returns the number of
	// events erased. It may scan the whole log: erasure is rare.
	Erase(ctx context.Context, seqs []int64, needles []string) (int, error)
	// PruneDedupe forgets dedupe records received before t.
	PruneDedupe(ctx context.Context, before time.Time) (int64, error)
	Close() error
}
