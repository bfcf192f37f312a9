package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProfileCountIsReusedOnlyWhileFresh(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	calls := int64(0)
	count := func(context.Context) (int64, error) { calls++; return 100 * calls, nil }
	var c profileCount
	steps := []struct {
		name       string
		checkpoint int64
		before     func()
		want       int64
	}{
		{"first call counts", 10, nil, 100},
		{"processor idle: reused, however old", 10, func() { c.at = c.at.Add(-time.Hour) }, 100},
		{"processor moved, count recent: reused", 11, func() { c.at = time.Now() }, 100},
		{"processor moved, count old: counted", 12, func() { c.at = c.at.Add(-profileCountMaxAge) }, 200},
		{"an erasure drops it", 12, c.drop, 300},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		n, err := c.get(ctx, st.checkpoint, count)
		require.NoError(t, err, st.name)
		require.Equal(t, st.want, n, st.name)
	}
}
