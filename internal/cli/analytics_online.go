package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// onlineCmd is one `cairn analytics` command that asks a running server:
// its flags (--url, --data and -json included) and how it failed.
type onlineCmd struct {
	fs     *flag.FlagSet
	client func() *client
	asJSON *bool
	async  *bool
	poll   time.Duration
	stderr io.Writer
}

// analysisTimeout bounds one synchronous analysis request (the other
// commands keep the client's 60 s).
const analysisTimeout = 15 * time.Minute

func newOnlineCmd(name, usage string, stderr io.Writer) *onlineCmd {
	fs := flag.NewFlagSet("analytics "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	o := &onlineCmd{fs: fs, stderr: stderr}
	base := clientFlags(fs)
	// An analysis may read every history for minutes; the server stops it
	// when the client leaves (Ctrl-C), so only a generous bound is kept.
	o.client = func() *client {
		c := base()
		c.http.Timeout = analysisTimeout
		return c
	}
	o.asJSON = fs.Bool("json", false, "print the server's JSON response unchanged")
	o.async = fs.Bool("async", false, "run as a job on the server: progress on stderr; Ctrl-C cancels the job")
	o.poll = 250 * time.Millisecond
	return o
}

// parse reads args, which must hold exactly the positionals named in want
// (printed in the complaint). ok is false after a usage error (exit 2).
func (o *onlineCmd) parse(args []string, want ...string) (pos []string, ok bool) {
	pos, err := parseArgs(o.fs, args)
	if err != nil {
		return nil, false
	}
	if len(pos) != len(want) {
		if len(want) == 0 {
			o.usageErr(fmt.Sprintf("unexpected argument %q", pos[0]))
		} else {
			o.usageErr("give " + strings.Join(want, " "))
		}
		return nil, false
	}
	return pos, true
}

// usageErr prints msg and the usage and returns exit code 2.
func (o *onlineCmd) usageErr(msg string) int {
	fmt.Fprintln(o.stderr, "cairn analytics:", msg)
	o.fs.Usage()
	return 2
}

// given is the flags set on the command line by name, with their typed
// values (a string, int, float64 or bool).
func (o *onlineCmd) given() map[string]any {
	set := map[string]any{}
	o.fs.Visit(func(f *flag.Flag) {
		if g, ok := f.Value.(flag.Getter); ok {
			set[f.Name] = g.Get()
		}
	})
	return set
}

// body is a request body: the JSON object in file when there is one, then
// every flag of fields (flag name → JSON field) set on the command line.
// Flags left unset are left out, so the server applies its defaults.
func (o *onlineCmd) body(file string, fields map[string]string) (map[string]any, error) {
	body := map[string]any{}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read request: %w", err)
		}
		if err := json.Unmarshal(b, &body); err != nil {
			return nil, fmt.Errorf("%s is not a JSON object: %w", file, err)
		}
	}
	given := o.given()
	for name, field := range fields {
		if v, ok := given[name]; ok {
			body[field] = v
		}
	}
	return body, nil
}

// query is a URL query of the flags of fields set on the command line.
func (o *onlineCmd) query(fields map[string]string) string {
	q := url.Values{}
	given := o.given()
	for name, field := range fields {
		if v, ok := given[name]; ok {
			q.Set(field, fmt.Sprint(v))
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// spanFlags registers --since and --until (RFC 3339, checked when parsed).
func (o *onlineCmd) spanFlags() {
	o.fs.Var(new(timeFlag), "since", "only events at or after this RFC 3339 time")
	o.fs.Var(new(timeFlag), "until", "only events before this RFC 3339 time")
}

// choice registers a string flag restricted to values (checked when parsed).
func (o *onlineCmd) choice(name, usage string, values ...string) {
	o.fs.Var(&choiceFlag{values: values}, name, usage+": "+strings.Join(values, ", "))
}

// call sends body to method path and prints the server's answer: the JSON
// unchanged with -json, else decoded into T and printed by table.
func call[T any](ctx context.Context, o *onlineCmd, method, path string, body any, stdout io.Writer, table func(io.Writer, *T)) int {
	raw, err := o.fetch(ctx, o.client(), method, path, body)
	if err != nil {
		return fail(o.stderr, err)
	}
	if *o.asJSON {
		printJSON(stdout, raw)
		return 0
	}
	var res T
	if err := json.Unmarshal(raw, &res); err != nil {
		return fail(o.stderr, fmt.Errorf("decode response of %s %s: %w", method, path, err))
	}
	table(stdout, &res)
	return 0
}

// analysisJob is the part of a server job the CLI follows.
type analysisJob struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Progress struct {
		Done     int64   `json:"profiles_read"`
		Total    int64   `json:"profiles_total"`
		Fraction float64 `json:"fraction"`
	} `json:"progress"`
}

// fetch answers the request directly, or with --async as a server job
// (Prefer: respond-async) whose progress goes to stderr; when ctx ends
// (Ctrl-C) the job is cancelled on the server.
func (o *onlineCmd) fetch(ctx context.Context, c *client, method, path string, body any) ([]byte, error) {
	if !*o.async {
		return c.do(ctx, method, path, body, nil)
	}
	var job analysisJob
	if _, _, err := c.doHeader(ctx, method, path, http.Header{"Prefer": {"respond-async"}}, body, &job); err != nil {
		return nil, err
	}
	jobPath := "/v1/analytics/jobs/" + url.PathEscape(job.ID)
	tick := time.NewTicker(o.poll)
	defer tick.Stop()
	for job.Status == "running" {
		select {
		case <-ctx.Done():
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_, err := c.do(cctx, "DELETE", jobPath, nil, nil)
			cancel()
			if err != nil {
				return nil, fmt.Errorf("interrupted; cancelling job %s failed: %w", job.ID, err)
			}
			return nil, fmt.Errorf("interrupted: job %s cancelled on the server", job.ID)
		case <-tick.C:
		}
		if _, err := c.do(ctx, "GET", jobPath, nil, &job); err != nil && ctx.Err() == nil {
			return nil, err
		}
		fmt.Fprintf(o.stderr, "\rjob %s: %d of %d profiles read (%.0f%%)", job.ID, job.Progress.Done, job.Progress.Total, 100*job.Progress.Fraction)
	}
	fmt.Fprintf(o.stderr, "\rjob %s: %s\n", job.ID, job.Status)
	if job.Status == "cancelled" {
		return nil, fmt.Errorf("job %s was cancelled on the server", job.ID)
	}
	return c.do(ctx, "GET", jobPath+"/result", nil, nil)
}

// timeFlag is an RFC 3339 time, kept as the text the server reads.
type timeFlag struct{ s string }

func (t *timeFlag) String() string { return t.s }
func (t *timeFlag) Get() any       { return t.s }
func (t *timeFlag) Set(s string) error {
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time such as 2026-11-01T00:00:00Z", s)
	}
	t.s = s
	return nil
}

// choiceFlag is one of a fixed set of words.
type choiceFlag struct {
	values []string
	s      string
}

func (c *choiceFlag) String() string { return c.s }
func (c *choiceFlag) Get() any       { return c.s }
func (c *choiceFlag) Set(s string) error {
	if !slices.Contains(c.values, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(c.values, ", "))
	}
	c.s = s
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// newTable is the tabwriter of the online commands' tables.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 2, 4, 2, ' ', 0) }

// pct formats a fraction as a percentage.
func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

// seconds formats a duration in seconds to the second, "-" when absent.
func seconds(s *float64) string {
	if s == nil {
		return "-"
	}
	return time.Duration(*s * float64(time.Second)).Round(time.Second).String()
}
