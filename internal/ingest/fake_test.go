package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// memLog is an in-memory Log that deduplicates like the real one: on
// (SourceID, MessageID) within the batch's DedupeSince window.
type memLog struct {
	mu         sync.Mutex
	events     []*event.Event
	rejections []store.Rejection
	seen       map[[2]string]time.Time // first ReceivedAt of each (source, messageId)
	appends    int
	batchSizes []int

	failWith error         // Append returns it when set
	entered  chan struct{} // when set, receives once per Append call
	release  chan struct{} // when set, Append waits for it
}

func newMemLog() *memLog { return &memLog{seen: make(map[[2]string]time.Time)} }

func (l *memLog) Append(ctx context.Context, b store.AppendBatch) ([]bool, error) {
	if l.entered != nil {
		l.entered <- struct{}{}
	}
	if l.release != nil {
		select {
		case <-l.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failWith != nil {
		return nil, l.failWith
	}
	l.appends++
	l.batchSizes = append(l.batchSizes, len(b.Events)+len(b.Rejections))
	dup := make([]bool, len(b.Events))
	for i, ev := range b.Events {
		if ev.SourceID == "" {
			return nil, fmt.Errorf("event %s has no source", ev.MessageID)
		}
		k := [2]string{ev.SourceID, ev.MessageID}
		if at, ok := l.seen[k]; ok && !at.Before(b.DedupeSince) {
			dup[i] = true
			continue
		}
		l.seen[k] = ev.ReceivedAt
		ev.Seq = int64(len(l.events) + 1)
		l.events = append(l.events, ev)
	}
	l.rejections = append(l.rejections, b.Rejections...)
	return dup, nil
}

func (l *memLog) snapshot() ([]*event.Event, []store.Rejection) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*event.Event(nil), l.events...), append([]store.Rejection(nil), l.rejections...)
}

func (l *memLog) setFail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failWith = err
}

// memKeys is an in-memory Keys that counts lookups.
type memKeys struct {
	mu      sync.Mutex
	sources map[string]store.Source
	keys    map[string]store.WriteKey
	lookups int
	failing bool
}

func newMemKeys(sources ...store.Source) *memKeys {
	k := &memKeys{sources: make(map[string]store.Source), keys: make(map[string]store.WriteKey)}
	for _, s := range sources {
		k.sources[s.ID] = s
		for _, wk := range s.Keys {
			k.keys[wk.Key] = wk
		}
	}
	return k
}

func (k *memKeys) SourceByWriteKey(_ context.Context, key string) (store.Source, store.WriteKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lookups++
	if k.failing {
		return store.Source{}, store.WriteKey{}, errors.New("database is locked")
	}
	wk, ok := k.keys[key]
	if !ok {
		return store.Source{}, store.WriteKey{}, store.ErrNotFound
	}
	return k.sources[wk.SourceID], wk, nil
}

func (k *memKeys) revoke(key string, at time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	wk := k.keys[key]
	wk.RevokedAt = &at
	k.keys[key] = wk
}

func (k *memKeys) lookupCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lookups
}

// userFilter suppresses events of the listed userIds.
type userFilter map[string]bool

func (f userFilter) Suppress(_ context.Context, e *event.Event) bool { return f[e.UserID] }

var (
	_ Log    = (*memLog)(nil)
	_ Keys   = (*memKeys)(nil)
	_ Filter = userFilter(nil)
)
