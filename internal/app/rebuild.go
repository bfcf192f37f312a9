package app

import (
	"context"
	"fmt"
)

// Rebuild deletes all derived state and replays the log from the start.
// Call it on an opened App that is not running.
func (a *App) Rebuild(ctx context.Context) (int64, error) {
	if err := a.State.Reset(ctx); err != nil {
		return 0, fmt.Errorf("reset state: %w", err)
	}
	if err := a.Processor.Reset(ctx); err != nil {
		return 0, err
	}
	if err := a.Processor.CatchUp(ctx); err != nil {
		return 0, fmt.Errorf("replay log: %w", err)
	}
	return a.Processor.Checkpoint(), nil
}
