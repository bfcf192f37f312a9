package app

import (
	"context"
	"testing"
)

// contextWithCancel returns a context that outlives the test body until
// cancel is called from a cleanup, so servers can shut down gracefully.
func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(context.WithoutCancel(t.Context()))
}
