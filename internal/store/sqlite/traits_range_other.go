//go:build sqlite_mattn || sqlite_modernc

package sqlite

import (
	"context"

	"github.com/cairn-cdp/cairn/internal/store"
)

// traitsRange runs a ProfileTraitsBetween query through database/sql (the
// ncruces build reads on the driver's connection: traits_range_ncruces.go).
func (s *State) traitsRange(ctx context.Context, q string, args ...string) ([]store.ProfileTrait, error) {
	anys := make([]any, len(args))
	for i, a := range args {
		anys[i] = a
	}
	return s.profileTraits(ctx, q, anys...)
}
