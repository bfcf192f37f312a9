package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
)

// e2eOptions configure a fixed-rate end-to-end run.
type e2eOptions struct {
	benchOptions
	Rate     float64       // offered events per second
	Duration time.Duration // how long to offer load
	Poll     time.Duration // /v1/stats sampling interval
	Drain    time.Duration // how long to wait for the processor after the load
	MaxLag   time.Duration // p99 lag that still counts as keeping up
	Token    string        // admin token for /v1/stats
}

// E2EResult summarizes one fixed-rate run.
type E2EResult struct {
	Offered, Sent, Errors int // events
	Late                  int // requests that left more than 100 ms behind schedule
	Elapsed               time.Duration
	ReqP50, ReqP99        time.Duration
	LagSecP50, LagSecP99  float64
	LagSecMax             float64
	LagEvP50, LagEvP99    int64
	LagEvMax              int64
	// AckLag* is the client's own measure: at each sample, how long ago the
	// oldest acknowledged but unprocessed event of this run was acknowledged
	// (the server must carry no other traffic and start with no backlog).
	AckLagP50, AckLagP99 float64
	AckLagMax            float64
	Samples              int
	Processed            int64         // events processed from start to drained
	Drained              time.Duration // time from the end of the load until lag_events was 0; -1 if never
	KeptUp               bool
}

func runBenchE2E(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench e2e", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := e2eOptions{}
	loadFlags(fs, &o.benchOptions)
	fs.Float64Var(&o.Rate, "rate", 45_000, "offered load in events per second")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to offer the load")
	fs.DurationVar(&o.Poll, "poll", 100*time.Millisecond, "GET /v1/stats sampling interval")
	fs.DurationVar(&o.Drain, "drain", 60*time.Second, "how long to wait for processing to catch up after the load")
	fs.DurationVar(&o.MaxLag, "max-lag", time.Second, "p99 processing lag that still counts as keeping up")
	data := fs.String("data", "./cairn-data", "data folder to read admin.token from when CAIRN_ADMIN_TOKEN is unset")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.WriteKey == "" {
		fmt.Fprintln(stderr, "cairn bench e2e: --write-key is required (create a source with 'cairn sources create')")
		return 2
	}
	o.Token = app.ReadAdminToken(*data)
	if o.Token == "" {
		fmt.Fprintln(stderr, "cairn bench e2e: no admin token; set CAIRN_ADMIN_TOKEN or pass --data DIR holding admin.token")
		return 2
	}
	r, err := benchE2E(ctx, o)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		b, _ := json.Marshal(r)
		fmt.Fprintln(stdout, string(b))
	} else {
		drained := "never"
		if r.Drained >= 0 {
			drained = r.Drained.Round(time.Millisecond).String()
		}
		fmt.Fprintf(stdout, "offered %.0f events/s for %s: sent %d events (%d errors, %d late requests) = %.0f events/s; request p50 %.2f ms, p99 %.2f ms\n",
			o.Rate, o.Duration, r.Sent, r.Errors, r.Late, float64(r.Sent)/r.Elapsed.Seconds(), ms(r.ReqP50), ms(r.ReqP99))
		fmt.Fprintf(stdout, "processing lag over %d samples: seconds p50 %.3f, p99 %.3f, max %.3f; events p50 %d, p99 %d, max %d; drained %s after the load\n",
			r.Samples, r.LagSecP50, r.LagSecP99, r.LagSecMax, r.LagEvP50, r.LagEvP99, r.LagEvMax, drained)
		fmt.Fprintf(stdout, "ack-to-processed lag seconds: p50 %.3f, p99 %.3f, max %.3f; processed %d events\n",
			r.AckLagP50, r.AckLagP99, r.AckLagMax, r.Processed)
		fmt.Fprintf(stdout, "kept up (sent >= 99%% of offered on schedule, p99 ack-to-processed lag <= %s, drained): %t\n", o.MaxLag, r.KeptUp)
	}
	if r.Errors > 0 {
		return 1
	}
	return 0
}

// statsSample is the part of GET /v1/stats the run samples.
type statsSample struct {
	Head       int64   `json:"head"`
	Processed  int64   `json:"processed"`
	LagEvents  int64   `json:"lag_events"`
	LagSeconds float64 `json:"lag_seconds"`
}

func benchE2E(ctx context.Context, o e2eOptions) (E2EResult, error) {
	if o.Batch < 1 || o.Concurrency < 1 || o.Users < 1 || o.Rate <= 0 || o.Duration <= 0 || o.Poll <= 0 {
		return E2EResult{}, fmt.Errorf("--rate, --duration, --poll, --concurrency, --batch and --users must be positive")
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency + 1}, Timeout: 30 * time.Second}
	stats := func(ctx context.Context) (statsSample, error) {
		var s statsSample
		req, _ := http.NewRequestWithContext(ctx, "GET", o.URL+"/v1/stats", nil)
		req.Header.Set("Authorization", "Bearer "+o.Token)
		resp, err := hc.Do(req)
		if err != nil {
			return s, fmt.Errorf("GET /v1/stats: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return s, fmt.Errorf("GET /v1/stats: HTTP %d (check the admin token)", resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
			return s, fmt.Errorf("decode /v1/stats: %w", err)
		}
		return s, nil
	}
	first, err := stats(ctx)
	if err != nil {
		return E2EResult{}, err
	}

	total := int(o.Rate * o.Duration.Seconds())
	requests := (total + o.Batch - 1) / o.Batch
	interval := time.Duration(float64(time.Second) * float64(o.Batch) / o.Rate)
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(o.WriteKey+":"))

	// Sample /v1/stats until the load is over and the processor has drained.
	var (
		mu      sync.Mutex
		lagSec  []float64
		lagEv   []int64
		ackLag  []float64
		acks    ackTimeline
		last    statsSample
		loadEnd atomic.Int64 // unix nanos; 0 while loading
		drained = time.Duration(-1)
	)
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	var pollWG sync.WaitGroup
	pollWG.Go(func() {
		t := time.NewTicker(o.Poll)
		defer t.Stop()
		for {
			select {
			case <-pollCtx.Done():
				return
			case <-t.C:
			}
			s, err := stats(pollCtx)
			if err != nil {
				continue
			}
			mu.Lock()
			last = s
			end := loadEnd.Load()
			if end == 0 {
				lagSec = append(lagSec, s.LagSeconds)
				lagEv = append(lagEv, s.LagEvents)
				ackLag = append(ackLag, acks.lag(s.Processed-first.Processed, time.Now()).Seconds())
			}
			mu.Unlock()
			if end != 0 && s.LagEvents == 0 {
				drained = time.Since(time.Unix(0, end))
				return
			}
			if end != 0 && time.Since(time.Unix(0, end)) > o.Drain {
				return
			}
		}
	})

	var next, errs, late, sent atomic.Int64
	lat := make([][]time.Duration, o.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range o.Concurrency {
		wg.Go(func() {
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= requests || ctx.Err() != nil {
					return
				}
				due := start.Add(time.Duration(i) * interval)
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				} else if d < -100*time.Millisecond {
					late.Add(1)
				}
				n := min(o.Batch, total-i*o.Batch)
				benchBody(&buf, o.benchOptions, i*o.Batch, n)
				took, err := postBatch(ctx, hc, o.URL, auth, buf.Bytes())
				lat[w] = append(lat[w], took)
				if err != nil {
					errs.Add(int64(n))
				} else {
					sent.Add(int64(n))
					acks.add(int64(n), time.Now())
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	loadEnd.Store(time.Now().UnixNano())
	pollWG.Wait()

	r := E2EResult{Offered: total, Errors: int(errs.Load()), Late: int(late.Load()), Elapsed: elapsed, Drained: drained}
	r.Sent = int(sent.Load())
	r.ReqP50, r.ReqP99, _ = percentiles(slices.Concat(lat...))
	mu.Lock()
	defer mu.Unlock()
	r.Samples = len(lagSec)
	r.LagSecP50, r.LagSecP99, r.LagSecMax = percentiles(lagSec)
	r.LagEvP50, r.LagEvP99, r.LagEvMax = percentiles(lagEv)
	r.AckLagP50, r.AckLagP99, r.AckLagMax = percentiles(ackLag)
	r.Processed = last.Processed - first.Processed
	r.KeptUp = r.Errors == 0 && float64(r.Sent) >= 0.99*float64(total) && elapsed <= o.Duration+o.Duration/50 &&
		r.AckLagP99 <= o.MaxLag.Seconds() && drained >= 0
	return r, nil
}

// ackTimeline records when the run's events were acknowledged, as a
// cumulative count, to turn a processed count into a lag.
type ackTimeline struct {
	mu    sync.Mutex
	total []int64 // cumulative events acknowledged
	at    []time.Time
}

func (a *ackTimeline) add(n int64, t time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	prev := int64(0)
	if len(a.total) > 0 {
		prev = a.total[len(a.total)-1]
	}
	a.total = append(a.total, prev+n)
	a.at = append(a.at, t)
}

// lag returns how long before now the first event after the first processed
// ones was acknowledged, or 0 when every acknowledged event is processed.
func (a *ackTimeline) lag(processed int64, now time.Time) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	i, _ := slices.BinarySearch(a.total, processed+1)
	if i >= len(a.total) {
		return 0
	}
	return now.Sub(a.at[i])
}
