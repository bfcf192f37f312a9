package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Keys resolves write keys (store.State satisfies it). It returns
// store.ErrNotFound for an unknown key and the key with RevokedAt set for a
// revoked one.
type Keys interface {
	SourceByWriteKey(ctx context.Context, key string) (store.Source, store.WriteKey, error)
}

// maxCachedKeys bounds the cache against floods of made-up keys.
const maxCachedKeys = 10000

// keyCache remembers lookups, unknown keys included, for ttl: a key created
// or revoked takes effect within ttl. Store errors are not cached.
type keyCache struct {
	keys Keys
	clk  clock.Clock
	ttl  time.Duration

	mu sync.RWMutex
	m  map[string]cachedKey
}

type cachedKey struct {
	src     store.Source
	key     store.WriteKey
	unknown bool
	expires time.Time
}

func newKeyCache(keys Keys, clk clock.Clock, ttl time.Duration) *keyCache {
	return &keyCache{keys: keys, clk: clk, ttl: ttl, m: make(map[string]cachedKey)}
}

// source authenticates key at now: the key's source, or an *apiError.
func (c *keyCache) source(ctx context.Context, key string, now time.Time) (store.Source, error) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		src, wk, err := c.keys.SourceByWriteKey(ctx, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			e = cachedKey{unknown: true}
		case err != nil:
			return store.Source{}, fmt.Errorf("look up write key: %w", err)
		default:
			e = cachedKey{src: src, key: wk}
		}
		e.expires = now.Add(c.ttl)
		c.put(key, e, now)
	}
	switch {
	case e.unknown:
		return store.Source{}, errorf(http.StatusUnauthorized, codeUnknownWriteKey,
			"unknown write key; copy the key of one of your sources (cairn sources create prints one)")
	case e.key.RevokedAt != nil && !e.key.RevokedAt.After(now):
		return store.Source{}, errorf(http.StatusUnauthorized, codeRevokedWriteKey, fmt.Sprintf(
			"this write key was revoked at %s; send an active key of source %q",
			e.key.RevokedAt.UTC().Format(time.RFC3339), e.src.Name))
	}
	return e.src, nil
}

func (c *keyCache) put(key string, e cachedKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedKeys {
		for k, old := range c.m {
			if !now.Before(old.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCachedKeys {
			clear(c.m)
		}
	}
	c.m[key] = e
}

// The state store resolves write keys.
var _ Keys = store.State(nil)
