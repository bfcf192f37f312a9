package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// journeyStats is the answer of GET /v1/journeys/{id}/stats.
type journeyStats struct {
	JourneyID   string           `json:"journey_id"`
	Status      string           `json:"status"`
	LiveVersion int              `json:"live_version"`
	Entered     int64            `json:"entered"`
	Goals       int64            `json:"goals"`
	Exited      map[string]int64 `json:"exited"`
	Nodes       []struct {
		Node       string           `json:"node"`
		Kind       string           `json:"kind"`
		Removed    bool             `json:"removed"`
		Active     int64            `json:"active"`
		Queued     int64            `json:"queued"`
		Attempting int64            `json:"attempting"`
		Sent       int64            `json:"sent"`
		Failed     int64            `json:"failed"`
		Unknown    int64            `json:"unknown"`
		Skipped    map[string]int64 `json:"skipped"`
		Failures   map[string]int64 `json:"failures"`
	} `json:"nodes"`
}

// stats prints the journey's totals and the per-node table.
func (j *journeyCmd) stats(ctx context.Context) int {
	var st journeyStats
	raw, err := j.c.do(ctx, "GET", j.path("/stats"), nil, &st)
	if err != nil {
		return fail(j.stderr, err)
	}
	return j.done(raw, func() { printStats(j.stdout, &st) })
}

func printStats(w io.Writer, st *journeyStats) {
	var active int64
	for _, n := range st.Nodes {
		active += n.Active
	}
	fmt.Fprintf(w, "journey %s: %s, live version %s\n", st.JourneyID, st.Status, versionText(st.LiveVersion))
	fmt.Fprintf(w, "entered %d, active %d, goals %d\n", st.Entered, active, st.Goals)
	fmt.Fprintf(w, "exited: %s\n\n", countsText(st.Exited, "none"))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tKIND\tACTIVE/WAITING\tPENDING\tSENT\tSKIPPED\tFAILED")
	for _, n := range st.Nodes {
		kind := n.Kind
		if n.Removed {
			kind = "(removed)"
		}
		failed := reasonsText(n.Failed, n.Failures)
		if n.Unknown > 0 {
			failed += fmt.Sprintf(", %d outcome unknown", n.Unknown)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\n", n.Node, kind, n.Active, n.Queued+n.Attempting, n.Sent,
			reasonsText(sum(n.Skipped), n.Skipped), failed)
	}
	tw.Flush()
}

func sum(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}

// reasonsText is a count with its breakdown: "3 (quiet_hours 2, unsubscribed 1)".
func reasonsText(total int64, by map[string]int64) string {
	if total == 0 || len(by) == 0 {
		return fmt.Sprint(total)
	}
	return fmt.Sprintf("%d (%s)", total, countsText(by, ""))
}

// countsText is "a 1, b 2" in key order; none when empty.
func countsText(m map[string]int64, none string) string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return none
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "unspecified"
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	return strings.Join(parts, ", ")
}

// instances lists one page of instances; the cursor of the next page goes
// to stderr.
func (j *journeyCmd) instances(ctx context.Context) int {
	q := url.Values{"limit": {fmt.Sprint(j.limit)}}
	for k, v := range map[string]string{"status": j.status, "node": j.node, "cursor": j.cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var out struct {
		Instances []struct {
			ID         string     `json:"id"`
			ProfileID  string     `json:"profile_id"`
			Version    int        `json:"version"`
			Key        string     `json:"key"`
			Node       string     `json:"node"`
			Status     string     `json:"status"`
			EnteredAt  time.Time  `json:"entered_at"`
			ExitedAt   *time.Time `json:"exited_at"`
			ExitReason string     `json:"exit_reason"`
		} `json:"instances"`
		NextCursor string `json:"next_cursor"`
	}
	raw, err := j.c.do(ctx, "GET", j.path("/instances?"+q.Encode()), nil, &out)
	if err != nil {
		return fail(j.stderr, err)
	}
	return j.done(raw, func() {
		tw := tabwriter.NewWriter(j.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "INSTANCE\tPROFILE\tVERSION\tNODE\tSTATUS\tENTERED\tEXITED")
		for _, in := range out.Instances {
			exited := "-"
			if in.ExitedAt != nil {
				exited = in.ExitedAt.Format(time.RFC3339) + " " + in.ExitReason
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", in.ID, in.ProfileID, in.Version, in.Node, in.Status,
				in.EnteredAt.Format(time.RFC3339), exited)
		}
		tw.Flush()
		if out.NextCursor != "" {
			fmt.Fprintf(j.stderr, "more instances: add --cursor %s\n", out.NextCursor)
		}
	})
}

// problem is one problem of a journey definition, as the API lists it.
type problem struct {
	Path    string `json:"path"`
	Node    string `json:"node"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// problemsOf returns the problems listed in an error response body.
func problemsOf(raw []byte) []problem {
	var env struct {
		Error struct {
			Problems []problem `json:"problems"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &env) != nil {
		return nil
	}
	return env.Error.Problems
}

// printProblems lists problems: where (path and node), what, and the hint.
func printProblems(w io.Writer, ps []problem) {
	for i, p := range ps {
		where := p.Path
		if p.Node != "" {
			where += " (node " + p.Node + ")"
		}
		fmt.Fprintf(w, "%3d. %s: %s\n", i+1, where, p.Message)
		if p.Hint != "" {
			fmt.Fprintf(w, "     hint: %s\n", p.Hint)
		}
	}
}

// failAPI is fail that also lists every definition problem the answer names.
func failAPI(stderr io.Writer, raw []byte, err error) int {
	code := fail(stderr, err)
	printProblems(stderr, problemsOf(raw))
	return code
}
