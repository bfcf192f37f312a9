package delivery

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkDeliverWebhook is one queued webhook send delivered to a real
// HTTP peer: insert (the processor's part), read due sends, rules (caps
// and settings lookups), render, attempting, the signed POST, sent, and
// the Message Sent append to the log.
func BenchmarkDeliverWebhook(b *testing.B) {
	e := newEnv(b)
	srv := e.hookChannel()
	e.config("frequency_rule", "daily", `{"id":"daily","channel":"email","limit":5,"per":1,"unit":"day"}`)
	e.profile("p1", map[string]any{"email": "ada@example.com", "timezone": "Europe/Berlin"})
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		e.queueHook("k"+strconv.Itoa(n), "p1", 3)
		if got := e.round(); got != 1 {
			b.Fatalf("round handled %d sends, want 1", got)
		}
		n++
	}
	require.Len(b, srv.Received(), n)
}
