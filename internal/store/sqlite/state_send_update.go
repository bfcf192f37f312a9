package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/cairn-cdp/cairn/internal/store"
)

// The dispatcher's workers write a send's state two or three times per
// message (attempting, its content, the outcome), many workers at once.
// One transaction each made the commit (WAL frames) most of the cost of a
// send, so concurrent updates share a transaction: the first caller to find
// no batch running writes everything queued, then the next queue, while the
// others wait for their own result (group commit, as ingest does for the
// log). Each update keeps its own outcome: one that fails or matches no
// send does not fail the others.

const updateSendSQL = `UPDATE sends SET status = ?, reason = coalesce(?, reason),
	provider_id = coalesce(?, provider_id), address = coalesce(?, address), attempts = coalesce(?, attempts),
	due_at = coalesce(?, due_at), sent_at = coalesce(?, sent_at), updated_at = coalesce(?, updated_at),
	content = coalesce(?, content), pending_event = coalesce(?, pending_event)
	WHERE key = ?`

// sendUpdates is the queue of UpdateSend calls waiting for a transaction.
type sendUpdates struct {
	mu      sync.Mutex
	queue   []*sendUpdate
	running bool // a caller is writing batches
}

type sendUpdate struct {
	key  string
	args []any
	err  error
	done chan struct{}
}

// UpdateSend writes u.Status and every non-zero field of u, in a
// transaction shared with the updates other goroutines make meanwhile.
func (s *State) UpdateSend(ctx context.Context, u store.SendUpdate) error {
	args, err := updateSendArgs(u)
	if err != nil {
		return fmt.Errorf("update send %s: %w", u.Key, err)
	}
	req := &sendUpdate{key: u.Key, args: args, done: make(chan struct{})}
	q := &s.sendUpdates
	q.mu.Lock()
	q.queue = append(q.queue, req)
	if q.running {
		q.mu.Unlock()
		<-req.done // the running caller writes it; not abandoned on ctx: it is queued
		return req.err
	}
	q.running = true
	for len(q.queue) > 0 {
		batch := q.queue
		q.queue = nil
		q.mu.Unlock()
		s.writeSendUpdates(context.WithoutCancel(ctx), batch)
		q.mu.Lock()
	}
	q.running = false
	q.mu.Unlock()
	<-req.done
	return req.err
}

// writeSendUpdates runs batch in one transaction and settles every request.
func (s *State) writeSendUpdates(ctx context.Context, batch []*sendUpdate) {
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		st := tx.StmtContext(ctx, s.apply.updateSend) // prepared once: preparing per batch cost more than its updates
		for _, r := range batch {
			res, err := st.ExecContext(ctx, r.args...)
			if err == nil {
				var n int64
				if n, err = res.RowsAffected(); err == nil && n == 0 {
					err = store.ErrNotFound
				}
			}
			r.err = err
		}
		return nil
	})
	for _, r := range batch {
		if err != nil { // the commit failed: nothing of the batch is written
			r.err = err
		}
		if r.err != nil {
			r.err = fmt.Errorf("update send %s: %w", r.key, r.err)
		}
		close(r.done)
	}
}

// updateSendArgs validates u and binds it to updateSendSQL.
func updateSendArgs(u store.SendUpdate) ([]any, error) {
	if u.Status == "" {
		return nil, errors.New("empty status")
	}
	var attempts, sentAt, content, event any
	if len(u.Event) > 0 {
		if !json.Valid(u.Event) {
			return nil, errors.New("event is not valid JSON")
		}
		event = string(u.Event)
	}
	if len(u.Content) > 0 {
		if !json.Valid(u.Content) {
			return nil, errors.New("content is not valid JSON")
		}
		content = string(u.Content)
	}
	if u.Attempts > 0 {
		attempts = u.Attempts
	}
	if u.SentAt != nil {
		sentAt = micro(*u.SentAt)
	}
	return []any{u.Status, nullString(u.Reason), nullString(u.ProviderID), nullString(u.To), attempts,
		nullMicro(u.DueAt), sentAt, nullMicro(u.At), content, event, u.Key}, nil
}
