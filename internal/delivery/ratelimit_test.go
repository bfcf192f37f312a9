package delivery

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// A provider limited to 2 messages/s (burst 1) gets a burst of 5 sends
// paced 500 ms apart, with none lost (customers are delivered concurrently,
// so which one takes which slot is not fixed).
func TestRateLimitPacesSends(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.fake("email", channel.Email)
	e.snd.mu.Lock()
	e.snd.rates = map[string][2]float64{"email": {2, 1}}
	e.snd.mu.Unlock()
	for i := range 5 {
		p := fmt.Sprintf("p%d", i)
		e.profile(p, map[string]any{"email": p + "@example.com", "first_name": "X"})
		e.queue(fmt.Sprintf("k%d", i), p, nil)
	}
	e.round()
	require.Len(t, f.messages(), 1)
	var slots []time.Time
	for i := range 5 {
		sd := e.send(fmt.Sprintf("k%d", i))
		if sd.Status == store.SendQueued {
			slots = append(slots, sd.DueAt)
		}
	}
	slices.SortFunc(slots, time.Time.Compare)
	require.Len(t, slots, 4)
	for i, at := range slots {
		require.Equal(t, t0.Add(time.Duration(i+1)*500*time.Millisecond), at, "slot %d", i+1)
	}
	for i := 1; i < 5; i++ {
		e.clk.Set(t0.Add(time.Duration(i) * 500 * time.Millisecond))
		e.round()
		require.Len(t, f.messages(), i+1)
	}
}
