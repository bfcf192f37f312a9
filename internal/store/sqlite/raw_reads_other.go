//go:build sqlite_mattn || sqlite_modernc

package sqlite

import (
	"context"

	"github.com/cairn-cdp/cairn/internal/store"
)

// The reads raw_reads_ncruces.go runs on the driver's connection, through
// database/sql for the other drivers.

func (s *State) traitsRange(ctx context.Context, q string, args ...any) ([]store.ProfileTrait, error) {
	return s.profileTraits(ctx, q, args...)
}

func (s *State) rawStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	return queryStrings(ctx, cachedQuerier{s.db.r}, q, args...)
}
