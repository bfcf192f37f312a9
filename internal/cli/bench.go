package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
)

const benchUsage = `usage: cairn bench <mode> [flags]
  ingest    --url URL --write-key KEY --events N --concurrency C [--batch B]   ingest throughput and request latency
  e2e       --url URL --write-key KEY --rate R --duration D [--concurrency C]  fixed offered load; processing lag
  profiles  --url URL (--refs FILE | --sample N) [--requests N]              profile read latency`

// runBench is the load tool behind BENCHMARKS.md: ingest throughput,
// end-to-end processing lag at a fixed offered load, and profile reads.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, benchUsage)
		return 2
	}
	switch args[0] {
	case "ingest":
		return runBenchIngest(ctx, args[1:], stdout, stderr)
	case "e2e":
		return runBenchE2E(ctx, args[1:], stdout, stderr)
	case "profiles":
		return runBenchProfiles(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "cairn bench: unknown mode %q\n%s\n", args[0], benchUsage)
	return 2
}

// loadFlags registers the flags shared by the ingest and e2e modes.
func loadFlags(fs *flag.FlagSet, o *benchOptions) {
	fs.StringVar(&o.URL, "url", envOr("CAIRN_URL", "http://127.0.0.1:4280"), "server URL")
	fs.StringVar(&o.WriteKey, "write-key", "", "write key of the source to send as (required)")
	fs.IntVar(&o.Concurrency, "concurrency", 8, "concurrent clients")
	fs.IntVar(&o.Batch, "batch", 50, "events per request")
	fs.IntVar(&o.Users, "users", 100_000, "distinct users the events are spread over")
	fs.StringVar(&o.Prefix, "prefix", strconv.FormatInt(time.Now().UnixNano(), 36), "seed of the random messageIds (UUIDs, as SDKs send); a fresh one per run avoids dedupe, the same one repeats a run's ids")
}

func runBenchIngest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := benchOptions{}
	loadFlags(fs, &o)
	fs.IntVar(&o.Events, "events", 200_000, "events to send")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.WriteKey == "" {
		fmt.Fprintln(stderr, "cairn bench ingest: --write-key is required (create a source with 'cairn sources create')")
		return 2
	}
	r, err := benchIngest(ctx, o)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		fmt.Fprintf(stdout, `{"events":%d,"requests":%d,"errors":%d,"seconds":%.3f,"events_per_second":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}`+"\n",
			r.Events, r.Requests, r.Errors, r.Elapsed.Seconds(), r.Rate(), ms(r.P50), ms(r.P99), ms(r.Max))
		return 0
	}
	fmt.Fprintf(stdout, "sent %d events in %d requests (%d errors) in %s: %.0f events/s; request latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		r.Events, r.Requests, r.Errors, r.Elapsed.Round(time.Millisecond), r.Rate(), ms(r.P50), ms(r.P99), ms(r.Max))
	if r.Errors > 0 {
		return 1
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentiles sorts xs and returns its p50, p99 and maximum (zero when empty).
func percentiles[T int64 | float64 | time.Duration](xs []T) (p50, p99, maxv T) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2], xs[len(xs)*99/100], xs[len(xs)-1]
}

type benchOptions struct {
	URL, WriteKey, Prefix             string
	Events, Concurrency, Batch, Users int
}

// BenchResult summarizes one load run: Events counts the events of the
// Requests that were answered 200, so an interrupted run reports what it sent.
type BenchResult struct {
	Events, Requests, Errors int
	Elapsed                  time.Duration
	P50, P99, Max            time.Duration
}

// Rate is events per second.
func (r BenchResult) Rate() float64 { return float64(r.Events) / r.Elapsed.Seconds() }

func benchIngest(ctx context.Context, o benchOptions) (BenchResult, error) {
	if o.Batch < 1 || o.Concurrency < 1 || o.Events < 1 || o.Users < 1 {
		return BenchResult{}, fmt.Errorf("--events, --concurrency, --batch and --users must be positive")
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(o.WriteKey+":"))
	tr := &http.Transport{MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	requests := (o.Events + o.Batch - 1) / o.Batch
	var next, errs, sent, done atomic.Int64
	lat := make([][]time.Duration, o.Concurrency)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start := time.Now()
	for w := range o.Concurrency {
		wg.Go(func() {
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= requests || ctx.Err() != nil {
					return
				}
				n := min(o.Batch, o.Events-i*o.Batch)
				benchBody(&buf, o, i*o.Batch, n)
				took, err := postBatch(ctx, hc, o.URL, auth, buf.Bytes())
				lat[w] = append(lat[w], took)
				done.Add(1)
				if err == nil {
					sent.Add(int64(n))
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	r := BenchResult{Events: int(sent.Load()), Requests: int(done.Load()), Errors: int(errs.Load()), Elapsed: time.Since(start)}
	r.P50, r.P99, r.Max = percentiles(slices.Concat(lat...))
	if e, ok := firstErr.Load().(error); ok && r.Errors == r.Requests {
		return r, fmt.Errorf("every request failed, first error: %w", e)
	}
	return r, nil
}

// benchBody writes a batch of n ~400-byte track/identify events. It
// appends into buf's own storage: the load tool shares the machine's CPU
// with the server it measures, so it should spend little.
func benchBody(buf *bytes.Buffer, o benchOptions, first, n int) {
	buf.Reset()
	b := buf.AvailableBuffer()
	now := time.Now().UTC().AppendFormat(nil, time.RFC3339Nano)
	seed := xxhash.Sum64String(o.Prefix)
	b = append(b, `{"batch":[`...)
	for j := range n {
		i := first + j
		if j > 0 {
			b = append(b, ',')
		}
		u := i % o.Users
		if i%10 == 0 {
			b = strconv.AppendInt(append(b, `{"type":"identify","userId":"bench-u`...), int64(u), 10)
			b = strconv.AppendInt(append(b, `","anonymousId":"bench-a`...), int64(u), 10)
			b = strconv.AppendInt(append(b, `","traits":{"email":"bench`...), int64(u), 10)
			b = append(b, `@nto.example","first_name":"Pat","last_name":"Lee","plan":"gold","city":"Denver"},`...)
		} else {
			b = strconv.AppendInt(append(b, `{"type":"track","event":"Product Viewed","userId":"bench-u`...), int64(u), 10)
			b = strconv.AppendInt(append(b, `","properties":{"product_id":"P-`...), int64(i%997), 10)
			b = strconv.AppendInt(append(b, `","sku":"NTO-`...), int64(i%997), 10)
			b = append(b, `","category":"camping","name":"Trail Tent 2P","price":249.99,"currency":"USD"},`...)
		}
		b = appendMessageID(append(b, `"messageId":"`...), seed, i)
		b = append(append(b, `","timestamp":"`...), now...)
		b = append(b, `","context":{"library":{"name":"cairn-bench","version":"1"},"ip":"127.0.0.1","userAgent":"Mozilla/5.0 (X11; Linux x86_64)"}}`...)
	}
	b = append(append(append(b, `],"sentAt":"`...), now...), `"}`...)
	buf.Write(b)
}

// benchMessageID is the message id of event i of a run: a version 4 UUID,
// as the SDKs send, derived from the run's prefix so a repeated run with the
// same prefix repeats its ids (and tests deduplication). Random ids matter:
// they land anywhere in the dedupe index, where sequential ids only append.
func benchMessageID(prefix string, i int) string {
	return string(appendMessageID(nil, xxhash.Sum64String(prefix), i))
}

// appendMessageID appends benchMessageID's id for the prefix whose xxhash
// is seed: 122 bits of two splitmix64 outputs of (seed, i).
func appendMessageID(dst []byte, seed uint64, i int) []byte {
	var u [16]byte
	binary.BigEndian.PutUint64(u[:8], splitmix64(seed+uint64(i)*0x9e3779b97f4a7c15))
	binary.BigEndian.PutUint64(u[8:], splitmix64(seed^uint64(i)*0xbf58476d1ce4e5b9+0x94d049bb133111eb))
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var h [36]byte
	hex.Encode(h[0:8], u[0:4])
	h[8] = '-'
	hex.Encode(h[9:13], u[4:6])
	h[13] = '-'
	hex.Encode(h[14:18], u[6:8])
	h[18] = '-'
	hex.Encode(h[19:23], u[8:10])
	h[23] = '-'
	hex.Encode(h[24:], u[10:16])
	return append(dst, h[:]...)
}

// splitmix64 is the finalizer of the SplitMix64 generator: a bijection of
// 64-bit values that spreads every input bit over the output.
func splitmix64(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// postBatch sends one /v1/batch body and returns the request latency; any
// answer but 200 is an error.
func postBatch(ctx context.Context, hc *http.Client, url, auth string, body []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/v1/batch", bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	t := time.Now()
	resp, err := hc.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
	}
	return time.Since(t), err
}
