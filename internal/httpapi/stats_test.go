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
		behind     bool
		before     func()
		want       int64
	}{
		{"first call counts", 10, true, nil, 100},
		{"processor idle: reused, however old", 10, false, func() { c.at = c.at.Add(-time.Hour) }, 100},
		{"processor moved and behind, count recent: reused", 11, true, func() { c.at = time.Now() }, 100},
		{"processor moved and behind, count old: counted", 12, true, func() { c.at = c.at.Add(-profileCountMaxAge) }, 200},
		{"processor moved and caught up: counted", 13, false, nil, 300},
		{"an erasure drops it", 13, false, c.drop, 400},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		n, err := c.get(ctx, st.checkpoint, st.behind, count)
		require.NoError(t, err, st.name)
		require.Equal(t, st.want, n, st.name)
	}
}
