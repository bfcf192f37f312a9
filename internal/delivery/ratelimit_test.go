package delivery

import (
	"fmt"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// A provider limited to 2 messages/s (burst 1) gets a burst of 5 sends
// paced 500 ms apart, in queue order, with none lost.
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
	for i := 1; i < 5; i++ {
		sd := e.send(fmt.Sprintf("k%d", i))
		require.Equal(t, store.SendQueued, sd.Status)
		require.Equal(t, e.clk.Now().Add(time.Duration(i)*500*time.Millisecond), sd.DueAt, "slot %d", i)
	}
	for i := 1; i < 5; i++ {
		e.clk.Set(t0.Add(time.Duration(i) * 500 * time.Millisecond))
		e.round()
		require.Len(t, f.messages(), i+1)
		require.Equal(t, fmt.Sprintf("p%d@example.com", i), f.messages()[i].To)
	}
}
