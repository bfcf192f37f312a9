package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// journey returns an identify and n tracks for one person, with messageIds
// prefixed by tag.
func journey(tag, userID, anonID, email string, n int) []map[string]any {
	evs := []map[string]any{{
		"type": "identify", "messageId": tag + "-identify", "userId": userID, "anonymousId": anonID,
		"traits":    map[string]any{"email": email, "name": "Robin Restart", "tier": "silver"},
		"timestamp": "2026-02-01T09:00:00Z",
	}}
	for i := range n {
		evs = append(evs, map[string]any{
			"type": "track", "messageId": fmt.Sprintf("%s-track-%d", tag, i), "userId": userID, "event": "Product Viewed",
			"properties": map[string]any{"product_id": fmt.Sprintf("p-%d", i)},
			"timestamp":  fmt.Sprintf("2026-02-01T09:%02d:00Z", i+1),
		})
	}
	return evs
}

// TestRestartKeepsState stops the server gracefully and starts it again on
// the same data folder: profile, timeline and counters are unchanged, and an
// event re-sent after the restart is still recognised as a duplicate.
func TestRestartKeepsState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	key := s.createSource("restart-web", "web")
	evs := journey("rs", "rs-user-1", "rs-anon-1", "robin@restart.example", 4)
	s.mustBatch(key, evs...)
	before := s.waitCaughtUp()
	require.EqualValues(t, 5, before.Stored)
	p1 := s.mustProfile("user_id:rs-user-1")
	require.EqualValues(t, 5, p1.EventCount)
	tl1 := s.timeline("user_id:rs-user-1")
	require.Len(t, tl1, 5)
	s.stop()

	s2 := startServer(t, dir)
	after := s2.waitCaughtUp()
	require.Equal(t, before, after, "stats before the graceful stop vs after the restart")
	p2 := s2.mustProfile("email:robin@restart.example")
	require.Equal(t, p1, p2, "the profile after the restart")
	require.Equal(t, tl1, s2.timeline("anonymous_id:rs-anon-1"), "the timeline after the restart")

	// The dedupe records are durable: the same batch again stores nothing.
	s2.mustBatch(key, evs...)
	again := s2.waitCaughtUp()
	require.Equal(t, before.Stored, again.Stored, "a re-sent batch was stored again after the restart")
	require.Equal(t, before.Duplicates+5, again.Duplicates)
	require.EqualValues(t, 5, s2.mustProfile("user_id:rs-user-1").EventCount)

	// The write key survived too: a new event is accepted and processed.
	s2.mustBatch(key, map[string]any{"type": "track", "messageId": "rs-after", "userId": "rs-user-1", "event": "Order Completed"})
	s2.waitCaughtUp()
	require.EqualValues(t, 6, s2.mustProfile("user_id:rs-user-1").EventCount)
}

// TestDataFolderLock starts a second server and an offline rebuild on the
// folder of a running server: both must refuse, naming the lock, and leave
// the running server untouched.
func TestDataFolderLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	key := s.createSource("lock-web", "web")
	s.mustBatch(key, journey("lk", "lk-user-1", "lk-anon-1", "lee@lock.example", 2)...)
	before := s.waitCaughtUp()

	for _, args := range [][]string{
		{"serve", "--data", dir, "--addr", "127.0.0.1:0"},
		{"rebuild", "--data", dir},
	} {
		res := runCLI(t, 30*time.Second, args...)
		cmd := "cairn " + strings.Join(args, " ")
		require.NotZero(t, res.code, "%s on a folder a running server holds must fail\nstdout:\n%s\nstderr:\n%s", cmd, res.stdout, res.stderr)
		require.Contains(t, strings.ToLower(res.stderr), "lock", "%s must say the data folder is locked; stderr:\n%s", cmd, res.stderr)
	}

	require.Equal(t, before, s.waitCaughtUp(), "the refused commands changed the running server's state")
	require.EqualValues(t, 3, s.mustProfile("user_id:lk-user-1").EventCount)
	s.stop()

	// Once the server is gone the folder is free again.
	res := runCLI(t, 60*time.Second, "rebuild", "--data", dir)
	require.Zero(t, res.code, "cairn rebuild after the server stopped:\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
}
