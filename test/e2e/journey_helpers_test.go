package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// signupLoad signs customers 0..n-1 up, one POST /v1/batch per customer
// (identify with an email, then "Signed Up"), from concurrent clients at up
// to rate customers a second, and never more than lead customers ahead of
// progress (the welcome emails out so far): the load lasts as long as the
// deliveries whatever the machine's speed. The events' messageIds are
// fixed, so a request resent after a kill took its answer is deduplicated.
type signupLoad struct {
	n        int
	every    time.Duration // one request a tick, across the clients
	lead     int
	progress func() int
	began    time.Time
	ackedN   atomic.Int64
	onWrote  atomic.Pointer[func()] // run once, by the next request written

	mu      sync.Mutex
	next    int   // the first customer never sent
	retry   []int // customers whose request got no 200: sent again
	acked   []bool
	lost    int // requests whose answer a kill took
	refused int // requests answered with another status (429 under load)
}

func newSignupLoad(n, rate, lead int, progress func() int) *signupLoad {
	return &signupLoad{n: n, every: time.Second / time.Duration(rate), lead: lead, progress: progress,
		began: time.Now(), acked: make([]bool, n)}
}

// jcUser is the userId of customer i.
func jcUser(i int) string { return fmt.Sprintf("jc-%05d", i) }

// jcEmail is the email trait of customer i.
func jcEmail(i int) string { return jcUser(i) + "@example.com" }

func (l *signupLoad) body(i int) []byte {
	u := jcUser(i)
	return fmt.Appendf(nil, `{"batch":[`+
		`{"type":"identify","messageId":"%s-identify","userId":%q,"traits":{"email":%q,"first_name":"Customer %d"}},`+
		`{"type":"track","messageId":"%s-signup","userId":%q,"event":"Signed Up","properties":{"plan":"trial"}}]}`,
		u, u, jcEmail(i), i, u, u)
}

// take returns the next customer to send; more is false when none is
// left, and i is -1 when the load must wait for progress.
func (l *signupLoad) take() (i int, more bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.retry); n > 0 {
		i := l.retry[n-1]
		l.retry = l.retry[:n-1]
		return i, true
	}
	switch {
	case l.next == l.n:
		return 0, false
	case l.next >= l.progress()+l.lead:
		return -1, true
	}
	l.next++
	return l.next - 1, true
}

func (l *signupLoad) giveBack(i int, answered bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.retry = append(l.retry, i)
	if answered {
		l.refused++
	} else {
		l.lost++
	}
}

func (l *signupLoad) ack(i int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.acked[i] {
		l.acked[i] = true
		l.ackedN.Add(1)
	}
}

// unsent is how many customers are not acknowledged yet.
func (l *signupLoad) unsent() int { return l.n - int(l.ackedN.Load()) }

// loadRun is one run of the load against one server process.
type loadRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	errs   []error // per worker: why it stopped (nil: no customer left)
}

// start runs workers against base until every customer is acknowledged or
// each worker has met a transport error (the server died).
func (l *signupLoad) start(t testing.TB, base, key string, workers int) *loadRun {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	r := &loadRun{cancel: cancel, done: make(chan struct{}), errs: make([]error, workers)}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	pace := time.NewTicker(l.every)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { r.errs[w] = l.work(ctx, pace.C, client, base, key) })
	}
	go func() {
		wg.Wait()
		pace.Stop()
		client.CloseIdleConnections()
		close(r.done)
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

func (l *signupLoad) work(ctx context.Context, pace <-chan time.Time, c *http.Client, base, key string) error {
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		if f := l.onWrote.Swap(nil); f != nil {
			(*f)()
		}
	}}
	ctx = httptrace.WithClientTrace(ctx, trace)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-pace:
		}
		i, more := l.take()
		if !more {
			return nil
		}
		if i < 0 {
			continue // ahead of the emails: wait for them
		}
		ok, err := post(ctx, c, base, key, l.body(i))
		if err != nil {
			l.giveBack(i, false)
			return err
		}
		if !ok {
			l.giveBack(i, true)
			continue
		}
		l.ack(i)
	}
}

// wait waits for the run's workers, failing the test if they are still
// running after timeout, and returns why each stopped.
func (r *loadRun) wait(t testing.TB, timeout time.Duration) []error {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(timeout):
		r.cancel()
		<-r.done
		t.Fatalf("the signup clients were still running %s later", timeout)
	}
	return r.errs
}

// journeySend is one send of GET /v1/profiles/{ref}/messages.
type journeySend struct {
	Key        string `json:"key"`
	JourneyID  string `json:"journey_id"`
	NodeID     string `json:"node_id"`
	ProfileID  string `json:"profile_id"`
	Channel    string `json:"channel"`
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	Attempts   int    `json:"attempts"`
	ProviderID string `json:"provider_id"`
	To         string `json:"to"`
}

// customerSends fetches the sends of customers 0..n-1 with a few
// concurrent requests; out[i] are customer i's sends.
func (s *server) customerSends(ctx context.Context, n, workers int) ([][]journeySend, error) {
	out := make([][]journeySend, n)
	var next atomic.Int64
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				var body struct {
					Messages []journeySend `json:"messages"`
				}
				path := "/v1/profiles/" + url.PathEscape("user_id:"+jcUser(i)) + "/messages?limit=100"
				if err := s.getJSON(ctx, path, &body); err != nil {
					errs[w] = err
					return
				}
				out[i] = body.Messages
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// getJSON is an admin GET that reports errors instead of failing the test,
// for use off the test goroutine.
func (s *server) getJSON(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("read GET %s: %w", path, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", path, res.Status, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode GET %s: %w", path, err)
	}
	return nil
}

// profilesAt lists the profiles of the welcome journey's instances active
// at node.
func (s *server) profilesAt(node string) []string {
	s.t.Helper()
	var out []string
	for cursor := ""; ; {
		var page struct {
			Instances []struct {
				ProfileID string `json:"profile_id"`
			} `json:"instances"`
			Next string `json:"next_cursor"`
		}
		q := url.Values{"status": {"active"}, "node": {node}, "limit": {"1000"}, "cursor": {cursor}}
		s.apiJSON(http.MethodGet, "/v1/journeys/welcome/instances?"+q.Encode(), nil, http.StatusOK, &page)
		for _, in := range page.Instances {
			out = append(out, in.ProfileID)
		}
		if page.Next == "" {
			return out
		}
		cursor = page.Next
	}
}

// journeyNodeStats is one node of GET /v1/journeys/{id}/stats.
type journeyNodeStats struct {
	Node       string           `json:"node"`
	Active     int64            `json:"active"`
	Queued     int64            `json:"queued"`
	Attempting int64            `json:"attempting"`
	Sent       int64            `json:"sent"`
	Failed     int64            `json:"failed"`
	Unknown    int64            `json:"unknown"`
	Skipped    map[string]int64 `json:"skipped"`
	Failures   map[string]int64 `json:"failures"`
}

// journeyStats is the body of GET /v1/journeys/{id}/stats.
type journeyStats struct {
	Entered int64              `json:"entered"`
	Exited  map[string]int64   `json:"exited"`
	Nodes   []journeyNodeStats `json:"nodes"`
}

func (s *server) journeyStats(id string) journeyStats {
	s.t.Helper()
	var st journeyStats
	s.apiJSON(http.MethodGet, "/v1/journeys/"+url.PathEscape(id)+"/stats", nil, http.StatusOK, &st)
	return st
}

// node returns the stats of one node (zero if absent).
func (st journeyStats) node(id string) journeyNodeStats {
	for _, n := range st.Nodes {
		if n.Node == id {
			return n
		}
	}
	return journeyNodeStats{Node: id}
}

// active is how many instances are still in the journey.
func (st journeyStats) active() int64 {
	var n int64
	for _, ns := range st.Nodes {
		n += ns.Active
	}
	return n
}

// setClock advances the server's manual clock by d.
func (s *server) advanceClock(d time.Duration) time.Time {
	s.t.Helper()
	var res struct {
		Now time.Time `json:"now"`
	}
	s.apiJSON(http.MethodPost, "/v1/admin/clock", map[string]string{"advance": d.String()}, http.StatusOK, &res)
	return res.Now
}

// ambiguousRE matches one series of cairn_sends_ambiguous_total
// (client_golang writes labels sorted by name).
var ambiguousRE = regexp.MustCompile(`^cairn_sends_ambiguous_total\{channel="([^"]*)",resolution="([^"]*)"\} (\S+)$`)

// ambiguousSends scrapes GET /metrics for cairn_sends_ambiguous_total:
// "channel/resolution" → count, of this process only.
func (s *server) ambiguousSends() map[string]int {
	s.t.Helper()
	res, err := s.http.Get(s.url + "/metrics")
	require.NoError(s.t, err, "GET /metrics")
	defer res.Body.Close()
	require.Equal(s.t, http.StatusOK, res.StatusCode, "GET /metrics")
	out := map[string]int{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m := ambiguousRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		v, err := strconv.ParseFloat(m[3], 64)
		require.NoError(s.t, err, "metric line %q", sc.Text())
		out[m[1]+"/"+m[2]] += int(v)
	}
	require.NoError(s.t, sc.Err(), "read /metrics")
	return out
}
