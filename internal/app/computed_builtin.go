package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// builtinComputed are the computed traits on by default: created at start
// when never defined (a user may edit or delete them; a deleted one stays
// deleted).
var builtinComputed = []string{
	`{"name":"lifetime_revenue","kind":"sum","event":"Order Completed","property":"revenue"}`,
	`{"name":"order_count","kind":"count","event":"Order Completed"}`,
	`{"name":"last_purchase_at","kind":"last","event":"Order Completed","property":"timestamp"}`,
	`{"name":"first_seen_channel","kind":"first","event":"","property":"channel"}`,
	`{"name":"preferred_channel","kind":"most_frequent","event":"","property":"channel"}`,
}

// ensureBuiltinComputed saves the built-in computed traits never defined
// before and returns their names.
func (a *App) ensureBuiltinComputed(ctx context.Context) ([]string, error) {
	var created []string
	for _, src := range builtinComputed {
		def, err := segment.ParseComputed([]byte(src))
		if err != nil {
			return nil, fmt.Errorf("built-in computed trait %s: %w", src, err)
		}
		_, err = a.State.GetComputedTrait(ctx, def.Name)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if _, err := a.State.PutComputedTrait(ctx, store.ComputedTrait{Name: def.Name, Definition: def.JSON(), UpdatedAt: a.Clock.Now()}); err != nil {
			return nil, fmt.Errorf("create built-in computed trait %s: %w", def.Name, err)
		}
		created = append(created, def.Name)
	}
	return created, nil
}
