package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Tombstones is the in-memory set of erased identifiers' keyed hashes.
type Tombstones struct {
	secret []byte
	mu     sync.RWMutex
	set    map[string]struct{}
}

// NewTombstones returns an empty set keyed with secret.
func NewTombstones(secret []byte) *Tombstones {
	return &Tombstones{secret: secret, set: map[string]struct{}{}}
}

// Load reads every stored tombstone into memory.
func (t *Tombstones) Load(ctx context.Context, st interface {
	Tombstones(ctx context.Context) ([]string, error)
}) error {
	list, err := st.Tombstones(ctx)
	if err != nil {
		return fmt.Errorf("load tombstones: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, h := range list {
		t.set[h] = struct{}{}
	}
	return nil
}

// Hash is the keyed hash of one identifier.
func (t *Tombstones) Hash(k store.IdentityKey) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(k.Type))
	m.Write([]byte{0})
	m.Write([]byte(k.Value))
	return hex.EncodeToString(m.Sum(nil))
}

func (t *Tombstones) add(h string) {
	t.mu.Lock()
	t.set[h] = struct{}{}
	t.mu.Unlock()
}

// Empty reports whether nobody was ever erased (the fast path).
func (t *Tombstones) Empty() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.set) == 0
}

// Suppressed reports whether any of keys belongs to an erased person.
func (t *Tombstones) Suppressed(keys []store.IdentityKey) bool {
	if t.Empty() {
		return false
	}
	for _, k := range keys {
		h := t.Hash(k)
		t.mu.RLock()
		_, ok := t.set[h]
		t.mu.RUnlock()
		if ok {
			return true
		}
	}
	return false
}

// Extractor pulls the identifiers out of an event (identity.Config.Extract).
type Extractor func(e *event.Event, p *event.Payload) []store.IdentityKey

// Filter adapts Tombstones to the ingest filter: it suppresses an event
// whose identifiers (as the processor would extract them) were erased.
type Filter struct {
	T       *Tombstones
	Extract Extractor
}

// Suppress implements ingest.Filter.
func (f Filter) Suppress(_ context.Context, e *event.Event) bool {
	if f.T.Empty() {
		return false
	}
	p, err := e.DecodePayload()
	if err != nil {
		return false
	}
	return f.T.Suppressed(f.Extract(e, p))
}
