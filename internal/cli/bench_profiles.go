package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ProfilesResult summarizes one profile-read run. A read is GET
// /v1/profiles/{ref} (traits + identities) then GET .../events?limit=50.
type ProfilesResult struct {
	Refs, Reads, Errors int
	Elapsed             time.Duration
	GetP50, GetP99      time.Duration
	EventsP50           time.Duration
	EventsP99           time.Duration
	ReadP50, ReadP99    time.Duration // both requests together
	ReadMax             time.Duration
}

func runBenchProfiles(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench profiles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	newClient := clientFlags(fs)
	refsFile := fs.String("refs", "", "file with one profile reference per line (type:value or a profile id)")
	sample := fs.Int("sample", 0, "instead of --refs, read this many profile ids from GET /v1/profiles")
	reads := fs.Int("requests", 2000, "profile reads to time (each is two requests)")
	conc := fs.Int("concurrency", 1, "concurrent readers")
	limit := fs.Int("limit", 50, "timeline events per read")
	seed := fs.Uint64("seed", 1, "seed of the order refs are read in")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (*refsFile == "") == (*sample <= 0) {
		fmt.Fprintln(stderr, "cairn bench profiles: give exactly one of --refs FILE or --sample N")
		return 2
	}
	if *reads < 1 || *conc < 1 || *limit < 1 {
		fmt.Fprintln(stderr, "cairn bench profiles: --requests, --concurrency and --limit must be positive")
		return 2
	}
	c := newClient()
	var (
		refs []string
		err  error
	)
	if *refsFile != "" {
		refs, err = readRefs(*refsFile)
	} else {
		refs, err = sampleProfiles(ctx, c, *sample, rand.New(rand.NewPCG(*seed, 0)))
	}
	if err != nil {
		return fail(stderr, err)
	}
	if len(refs) == 0 {
		return fail(stderr, fmt.Errorf("no profile references to read; load data first or check --refs"))
	}
	r := benchProfiles(ctx, c, refs, *reads, *conc, *limit, *seed)
	if *asJSON {
		b, _ := json.Marshal(r)
		fmt.Fprintln(stdout, string(b))
	} else {
		fmt.Fprintf(stdout, "%d reads of %d profiles (%d errors) in %s at concurrency %d: %.0f reads/s\n",
			r.Reads, r.Refs, r.Errors, r.Elapsed.Round(time.Millisecond), *conc, float64(r.Reads)/r.Elapsed.Seconds())
		fmt.Fprintf(stdout, "profile p50 %.2f ms p99 %.2f ms; events?limit=%d p50 %.2f ms p99 %.2f ms; read (both) p50 %.2f ms p99 %.2f ms max %.2f ms\n",
			ms(r.GetP50), ms(r.GetP99), *limit, ms(r.EventsP50), ms(r.EventsP99), ms(r.ReadP50), ms(r.ReadP99), ms(r.ReadMax))
	}
	if r.Errors > 0 {
		return 1
	}
	return 0
}

func readRefs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open refs file: %w", err)
	}
	defer f.Close()
	var refs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			refs = append(refs, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read refs file %s: %w", path, err)
	}
	return refs, nil
}

// sampleProfiles pages through GET /v1/profiles and keeps a uniform
// reservoir sample of n profile ids.
func sampleProfiles(ctx context.Context, c *client, n int, rng *rand.Rand) ([]string, error) {
	var (
		out    []string
		seen   int
		cursor string
	)
	for {
		var page struct {
			Profiles []struct {
				ID string `json:"id"`
			} `json:"profiles"`
			Next string `json:"next_cursor"`
		}
		q := url.Values{"limit": {"1000"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		if _, err := c.do(ctx, "GET", "/v1/profiles?"+q.Encode(), nil, &page); err != nil {
			return nil, fmt.Errorf("list profiles: %w", err)
		}
		for _, p := range page.Profiles {
			seen++
			if len(out) < n {
				out = append(out, p.ID)
			} else if j := rng.IntN(seen); j < n {
				out[j] = p.ID
			}
		}
		if page.Next == "" {
			return out, nil
		}
		cursor = page.Next
	}
}

func benchProfiles(ctx context.Context, c *client, refs []string, reads, conc, limit int, seed uint64) ProfilesResult {
	order := make([]int, reads)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range order {
		order[i] = rng.IntN(len(refs))
	}
	get := func(path string) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", c.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		t := time.Now()
		resp, err := c.http.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t)
		if resp.StatusCode != http.StatusOK {
			return d, fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
		}
		return d, nil
	}
	c.http.Transport = &http.Transport{MaxIdleConnsPerHost: conc}
	type sample struct{ get, events time.Duration }
	per := make([][]sample, conc)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= reads || ctx.Err() != nil {
					return
				}
				ref := "/v1/profiles/" + url.PathEscape(refs[order[i]])
				g, err1 := get(ref)
				e, err2 := get(ref + "/events?limit=" + fmt.Sprint(limit))
				if err1 != nil || err2 != nil {
					errs.Add(1)
					continue
				}
				per[w] = append(per[w], sample{g, e})
			}
		})
	}
	wg.Wait()
	r := ProfilesResult{Refs: len(refs), Reads: reads, Errors: int(errs.Load()), Elapsed: time.Since(start)}
	all := slices.Concat(per...)
	gets, evs, both := make([]time.Duration, len(all)), make([]time.Duration, len(all)), make([]time.Duration, len(all))
	for i, s := range all {
		gets[i], evs[i], both[i] = s.get, s.events, s.get+s.events
	}
	r.GetP50, r.GetP99, _ = percentiles(gets)
	r.EventsP50, r.EventsP99, _ = percentiles(evs)
	r.ReadP50, r.ReadP99, r.ReadMax = percentiles(both)
	return r
}
