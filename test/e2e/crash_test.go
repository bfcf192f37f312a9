package e2e

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// Load shape of TestKillMidLoad.
const (
	crashWorkers     = 8
	crashBatch       = 50     // events per request
	crashUsers       = 20     // distinct userIds per worker
	crashKillAfter   = 20_000 // acknowledged events before SIGKILL
	crashRetryEvery  = 4      // every 4th request re-sends an already acknowledged batch
	crashLoadTimeout = 40 * time.Second
)

// crashWorker is one client of the load: the batches it sent and which of
// them were acknowledged.
type crashWorker struct {
	id      int
	batches [][]byte   // request bodies, by batch number
	ids     [][]string // messageIds, by batch number
	acked   []int      // batch numbers answered 200 (first send)
	retried int        // re-sends of acknowledged batches answered 200
	refused int        // requests answered with another status (e.g. 429 under load)
	lastErr error      // why the worker stopped (expected: the kill)
}

// TestKillMidLoad loads the server from concurrent clients, kills it with
// SIGKILL mid-load, restarts it on the same data folder and checks that every
// acknowledged messageId is stored exactly once, that deduplication survived
// the crash, and that processing catches up and counts each event once.
func TestKillMidLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	key := s.createSource("crash-load", "server")

	ctx, stopLoad := context.WithCancel(t.Context())
	defer stopLoad()
	var acked atomic.Int64
	workers := make([]*crashWorker, crashWorkers)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers}}
	defer client.CloseIdleConnections()
	for i := range workers {
		w := &crashWorker{id: i}
		workers[i] = w
		wg.Go(func() { w.run(ctx, client, s.url, key, &acked) })
	}

	// Kill by count, mid-load: the workers are still sending.
	poll(t, crashLoadTimeout, s.exited, fmt.Sprintf("%d acknowledged events", crashKillAfter), func() (bool, string) {
		n := acked.Load()
		return n >= crashKillAfter, fmt.Sprintf("%d acknowledged", n)
	})
	s.kill()
	// Nothing listens any more, so each worker now stops on its own at its
	// next transport error: the load ran right up to the kill.
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(stopTimeout):
		stopLoad()
		<-stopped
		t.Fatalf("the load clients still got answers %s after the server was killed", stopTimeout)
	}

	want := map[string]bool{} // every acknowledged messageId
	sent := map[string]bool{} // every messageId sent at all
	var retried int
	for _, w := range workers {
		for _, b := range w.acked {
			for _, id := range w.ids[b] {
				want[id] = true
			}
		}
		for _, ids := range w.ids {
			for _, id := range ids {
				sent[id] = true
			}
		}
		retried += w.retried
		require.Error(t, w.lastErr, "worker %d stopped without an error", w.id)
		require.NotErrorIs(t, w.lastErr, context.Canceled, "worker %d", w.id)
		t.Logf("worker %d: %d batches sent, %d acknowledged, %d acknowledged re-sends, %d refused; stopped by: %v",
			w.id, len(w.batches), len(w.acked), w.retried, w.refused, w.lastErr)
	}
	require.GreaterOrEqual(t, len(want), crashKillAfter)
	require.Positive(t, retried, "no re-send of an acknowledged batch was acknowledged; dedupe was not exercised")

	// Restart on the same folder: every acknowledged event is there once.
	s2 := startServer(t, dir)
	st := s2.waitCaughtUp()
	t.Logf("after restart: %+v (%d acknowledged, %d sent)", st, len(want), len(sent))
	require.GreaterOrEqual(t, st.Stored, int64(len(want)), "stored < acknowledged: acknowledged events were lost")
	require.LessOrEqual(t, st.Stored, int64(len(sent)), "stored > distinct messageIds sent: duplicates were stored")
	require.GreaterOrEqual(t, st.Duplicates, int64(retried*crashBatch), "every event of an acknowledged re-send is a duplicate")
	require.Equal(t, st.Received, st.Stored+st.Duplicates, "received = stored + duplicates")
	require.Zero(t, st.Rejected)

	// A retry of an acknowledged batch after the crash is still a duplicate.
	w0 := workers[0]
	require.NotEmpty(t, w0.acked)
	status, err := s2.collect("/v1/batch", key, w0.batches[w0.acked[0]])
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	st2 := s2.waitCaughtUp()
	require.Equal(t, st.Stored, st2.Stored, "a batch acknowledged before the crash was stored again after it")
	require.Equal(t, st.Duplicates+crashBatch, st2.Duplicates)

	// Processing applied each stored event exactly once: per user, the
	// profile's event_count equals the user's events in the log.
	counts := map[string]int64{}
	for w := range crashWorkers {
		for u := range crashUsers {
			uid := crashUserID(w, u)
			if p, ok := s2.profile("user_id:" + uid); ok {
				counts[uid] = p.EventCount
			}
		}
	}
	s2.stop()

	log, err := sqlite.OpenLog(t.Context(), filepath.Join(dir, "log.db"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer log.Close()
	seen := make(map[string]int, len(sent))
	perUser := map[string]int64{}
	var last int64
	for {
		evs, err := log.Read(t.Context(), last, 5000)
		require.NoError(t, err)
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			seen[e.MessageID]++
			perUser[e.UserID]++
			last = e.Seq
		}
	}
	var dups []string
	for id, n := range seen {
		if n > 1 {
			dups = append(dups, fmt.Sprintf("%s×%d", id, n))
		}
		require.True(t, sent[id], "the log holds messageId %q that no client sent", id)
	}
	require.Empty(t, dups, "messageIds stored more than once")
	var lost []string
	for id := range want {
		if seen[id] == 0 {
			lost = append(lost, id)
		}
	}
	require.Empty(t, lost, "acknowledged messageIds missing from the log after kill -9 (%d of %d)", len(lost), len(want))
	require.EqualValues(t, st2.Stored, len(seen), "the log's row count and its stored counter disagree")
	require.Equal(t, st2.Head, last, "the last log entry is not the head")
	require.Equal(t, perUser, counts, "per-user event_count (processed) vs events in the log")
}

func crashUserID(worker, user int) string {
	return "crash-u-" + strconv.Itoa(worker) + "-" + strconv.Itoa(user)
}

// run sends batches until ctx ends or a request fails (the kill). Every
// crashRetryEvery-th request re-sends a random acknowledged batch instead.
func (w *crashWorker) run(ctx context.Context, c *http.Client, base, key string, acked *atomic.Int64) {
	rng := rand.New(rand.NewPCG(uint64(w.id), 42))
	for n := 1; ctx.Err() == nil; n++ {
		if n%crashRetryEvery == 0 && len(w.acked) > 0 {
			b := w.acked[rng.IntN(len(w.acked))]
			ok, err := post(ctx, c, base, key, w.batches[b])
			if err != nil {
				w.lastErr = err
				return
			}
			if ok {
				w.retried++
			} else {
				w.refused++
			}
			continue
		}
		b := len(w.batches)
		body, ids := w.batch(b)
		w.batches, w.ids = append(w.batches, body), append(w.ids, ids)
		ok, err := post(ctx, c, base, key, body)
		if err != nil {
			w.lastErr = err
			return
		}
		if !ok {
			w.refused++
			continue
		}
		w.acked = append(w.acked, b)
		acked.Add(int64(len(ids)))
	}
	w.lastErr = ctx.Err()
}

// batch builds request b of the worker: an identify and tracks for
// crashUsers rotating users, each with a unique messageId.
func (w *crashWorker) batch(b int) ([]byte, []string) {
	ids := make([]string, crashBatch)
	var sb strings.Builder
	sb.WriteString(`{"batch":[`)
	for i := range crashBatch {
		id := fmt.Sprintf("crash-%d-%06d-%02d", w.id, b, i)
		ids[i] = id
		uid := crashUserID(w.id, (b*crashBatch+i)%crashUsers)
		if i > 0 {
			sb.WriteByte(',')
		}
		if i == 0 {
			fmt.Fprintf(&sb, `{"type":"identify","messageId":%q,"userId":%q,"traits":{"plan":"gold","batch":%d},"timestamp":"2026-03-01T10:00:00Z"}`, id, uid, b)
			continue
		}
		fmt.Fprintf(&sb, `{"type":"track","messageId":%q,"userId":%q,"event":"Product Viewed",`+
			`"properties":{"product_id":"p-%d","price":19.99,"category":"Footwear"},"timestamp":"2026-03-01T10:00:00Z"}`, id, uid, i)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String()), ids
}

// post sends one batch. ok reports a 200; err is a transport error (the
// server is gone). Other statuses (429 under load) are neither.
func post(ctx context.Context, c *http.Client, base, key string, body []byte) (ok bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/batch", bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.SetBasicAuth(key, "")
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return false, err
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK, nil
}
