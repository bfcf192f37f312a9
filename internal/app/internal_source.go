package app

import (
	"context"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Internal source: where the events Cairn itself emits (Segment Entered /
// Segment Exited) are logged. It has no write keys, so nothing outside the
// processor can send as it.
const (
	internalSourceName    = "cairn"
	internalSourceChannel = "server"
)

// internalSource returns the id of the internal source, creating it on first start.
func (a *App) internalSource(ctx context.Context) (string, error) {
	list, err := a.State.ListSources(ctx)
	if err != nil {
		return "", fmt.Errorf("list sources: %w", err)
	}
	for _, s := range list {
		if s.Name != internalSourceName {
			continue
		}
		if s.Channel != internalSourceChannel || len(s.Keys) > 0 {
			return "", fmt.Errorf("source %s is named %q, which is reserved for Cairn's own events (channel %s, no write keys); rename it",
				s.ID, internalSourceName, internalSourceChannel)
		}
		return s.ID, nil
	}
	s := store.Source{ID: newID("src"), Name: internalSourceName, Channel: internalSourceChannel, Party: "first", CreatedAt: a.Clock.Now()}
	if err := a.State.CreateSource(ctx, s); err != nil {
		return "", fmt.Errorf("create the internal source %q: %w", internalSourceName, err)
	}
	return s.ID, nil
}
