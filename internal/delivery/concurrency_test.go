package delivery

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// barrierSender answers only once n calls are in flight at the same time:
// a dispatcher that sends one message at a time would never get past it.
type barrierSender struct {
	n     int
	mu    sync.Mutex
	in    int
	ready chan struct{}
	seen  []string // profile ids in call order
}

func (b *barrierSender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	b.mu.Lock()
	b.in++
	b.seen = append(b.seen, m.ProfileID+"/"+m.Key)
	if b.in == b.n {
		close(b.ready)
	}
	b.mu.Unlock()
	select {
	case <-b.ready:
		return channel.Receipt{ProviderID: m.Key, Status: "sent"}, nil
	case <-time.After(10 * time.Second): // a bound, not a wait for time to pass: the test fails if reached
		return channel.Receipt{}, channel.Permanent("barrier", fmt.Errorf("only %d calls in flight", b.in))
	case <-ctx.Done():
		return channel.Receipt{}, ctx.Err()
	}
}

func TestRoundDeliversCustomersConcurrentlyAndEachInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := &barrierSender{n: 4, ready: make(chan struct{})}
	e.channel("email", channel.Email, b)
	for i := range 4 {
		p := fmt.Sprintf("p%d", i)
		e.profile(p, map[string]any{"email": p + "@example.com", "first_name": "X"})
		e.queue(fmt.Sprintf("k%d", i), p, nil)
	}
	// A second send of p0, due later in the same round: after p0's first.
	e.queue("k0-second", "p0", func(s *store.Send, _ *journey.SendPayload) { s.DueAt = s.DueAt.Add(time.Millisecond) })
	e.clk.Set(e.clk.Now().Add(time.Second))
	require.Equal(t, 5, e.round())
	for _, k := range []string{"k0", "k1", "k2", "k3", "k0-second"} {
		require.Equal(t, store.SendSent, e.send(k).Status, k)
	}
	first, second := -1, -1
	for i, s := range b.seen {
		switch s {
		case "p0/k0":
			first = i
		case "p0/k0-second":
			second = i
		}
	}
	require.Less(t, first, second, "one customer's sends stay in order")
}
