package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/app"
)

// onlineEnv is a running server with the CLI pointed at it.
type onlineEnv struct {
	t         *testing.T
	url, data string
	key       string // write key of the web source
	n         int    // message ids issued
}

// run runs `cairn analytics ARGS --url U --data D`.
func (e *onlineEnv) run(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	return run(e.t, append(append([]string{"analytics"}, args...), "--url", e.url, "--data", e.data)...)
}

// track builds a track event of user at.
func (e *onlineEnv) track(user, name string, at time.Time, props map[string]any, ctx map[string]any) map[string]any {
	e.n++
	ev := map[string]any{"type": "track", "userId": user, "event": name, "messageId": fmt.Sprintf("aot-%d", e.n),
		"timestamp": at.UTC().Format(time.RFC3339Nano), "properties": props}
	if ctx != nil {
		ev["context"] = ctx
	}
	return ev
}

// send posts events to /v1/batch and waits until the server has processed
// everything stored.
func (e *onlineEnv) send(evs ...map[string]any) {
	e.t.Helper()
	for lo := 0; lo < len(evs); lo += 500 {
		body, err := json.Marshal(map[string]any{"batch": evs[lo:min(lo+500, len(evs))]})
		require.NoError(e.t, err)
		req, err := http.NewRequestWithContext(e.t.Context(), "POST", e.url+"/v1/batch", bytes.NewReader(body))
		require.NoError(e.t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(e.key+":")))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(e.t, err)
		resp.Body.Close()
		require.Equal(e.t, http.StatusOK, resp.StatusCode)
	}
	c := &client{url: e.url, token: app.ReadAdminToken(e.data), http: http.DefaultClient}
	require.Eventually(e.t, func() bool {
		var s struct {
			Head      int64 `json:"head"`
			Processed int64 `json:"processed"`
		}
		_, err := c.do(e.t.Context(), "GET", "/v1/stats", nil, &s)
		return err == nil && s.Processed >= s.Head
	}, 20*time.Second, 20*time.Millisecond, "the server never processed the events")
}

// lines is out with every line's runs of spaces collapsed to one.
func lines(out string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(out, "\n") {
		b.WriteString(strings.Join(strings.Fields(line), " ") + "\n")
	}
	return b.String()
}

// clvPurchases simulates "Plan Renewed" purchases of n customers over the
// 39 weeks before now and returns the events and the customer count.
func (e *onlineEnv) clvPurchases(n int, now time.Time) []map[string]any {
	rng := rand.New(rand.NewPCG(11, 3))
	const week = 7 * 24 * time.Hour
	var evs []map[string]any
	for i := range n {
		lambda, p, mean := 0.05+rng.ExpFloat64()*0.4, rng.Float64()*0.5, 20+rng.ExpFloat64()*30
		at := now.Add(-39 * week).Add(time.Duration(rng.Float64() * 26 * float64(week)))
		for at.Before(now.Add(-time.Hour)) {
			amount := float64(int(mean*(0.5+rng.Float64())*100)) / 100
			evs = append(evs, e.track(fmt.Sprintf("c%d", i), "Plan Renewed", at, map[string]any{"amount": amount}, nil))
			if rng.Float64() < p {
				break
			}
			at = at.Add(time.Duration(rng.ExpFloat64() / lambda * float64(week)))
		}
	}
	return evs
}

type onlineCase struct {
	name  string
	args  []string
	table func(t *testing.T, out string) // the human-readable output, spaces collapsed
	json  func(t *testing.T, v map[string]any)
}

func (e *onlineEnv) check(cases []onlineCase) {
	e.t.Helper()
	for _, tc := range cases {
		e.t.Run(tc.name, func(t *testing.T) {
			code, out, errs := e.run(tc.args...)
			require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errs)
			tc.table(t, lines(out))
			code, out, errs = e.run(append(tc.args, "-json")...)
			require.Equal(t, 0, code, errs)
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &v), out)
			require.True(t, strings.HasPrefix(out, "{\n  \""), "indented JSON: %s", out)
			tc.json(t, v)
		})
	}
}

func TestAnalyticsOnline(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	e := &onlineEnv{t: t, url: url, data: dir}
	code, key, errs := run(t, "sources", "create", "--url", url, "--data", dir, "--name", "aot-web", "--channel", "web")
	require.Equal(t, 0, code, errs)
	e.key = strings.TrimSpace(key)

	// Three shoppers a week ago: f1 views, adds (from an email) and buys;
	// f2 views and adds; f3 only views. Plus 120 subscribers renewing.
	now := time.Now().UTC()
	day := now.Truncate(24 * time.Hour).Add(-7 * 24 * time.Hour)
	at := func(minutes int) time.Time { return day.Add(time.Duration(minutes) * time.Minute) }
	email := map[string]any{"campaign": map[string]any{"medium": "email", "name": "spring"}}
	evs := []map[string]any{
		e.track("f1", "Product Viewed", at(60), map[string]any{"sku": "tent"}, nil),
		e.track("f1", "Product Added", at(120), map[string]any{"sku": "tent"}, email),
		e.track("f1", "Order Completed", at(180), map[string]any{"revenue": 40.0}, nil),
		e.track("f2", "Product Viewed", at(60), map[string]any{"sku": "tent"}, nil),
		e.track("f2", "Product Added", at(90), map[string]any{"sku": "tent"}, nil),
		e.track("f3", "Product Viewed", at(60), map[string]any{"sku": "stove"}, nil),
	}
	subs := e.clvPurchases(120, now)
	customers := map[string]bool{}
	for _, s := range subs {
		customers[s["userId"].(string)] = true
	}
	e.send(append(evs, subs...)...)

	steps := "Product Viewed,Product Added,Order Completed"
	code, out, errs := run(t, "analytics", "funnel", "--steps", steps, "--save-dropoff", "3", "--segment-name", "Added, not bought",
		"--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, `saved the drop-off as segment seg_`)
	require.Contains(t, out, `"Added, not bought": sequence "Product Viewed" then "Product Added" within 7d and not sequence`)

	// --async runs the same analysis as a server job and prints the same table.
	code, out, errs = run(t, "analytics", "funnel", "--steps", steps, "--async", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, strings.Join(strings.Fields(out), " "), "3 Order Completed 1 50.0% 33.3% 1h0m0s 1")
	require.Regexp(t, `job job_\S+: succeeded\n$`, errs)
	code, _, errs = run(t, "analytics", "funnel", "--steps", "Never Happened", "--async", "--url", url, "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errs, `validation_error (HTTP 422)`, "a failed job's answer is the route's error")
	e.check([]onlineCase{
		{"funnel", []string{"funnel", "--steps", steps},
			func(t *testing.T, out string) {
				require.Contains(t, out, "3 entered; window 7d, order strict")
				require.Contains(t, out, "1 Product Viewed 3 100.0% 100.0% - 0\n")
				require.Contains(t, out, "2 Product Added 2 66.7% 66.7% 30m0s 1\n")
				require.Contains(t, out, "3 Order Completed 1 50.0% 33.3% 1h0m0s 1\n")
			},
			func(t *testing.T, v map[string]any) {
				require.InDelta(t, 3, v["entered"], 0)
				st := v["steps"].([]any)
				require.InDelta(t, 2, st[1].(map[string]any)["count"], 0)
				require.InDelta(t, 0.5, st[2].(map[string]any)["conversion_from_previous"], 1e-9)
			}},
		{"funnel by channel with a time range", []string{"funnel", "--steps", steps, "--breakdown", "channel", "--order", "any",
			"--window", "1d", "--since", day.Format(time.RFC3339), "--until", now.Format(time.RFC3339)},
			func(t *testing.T, out string) {
				require.Contains(t, out, "window 1d, order any")
				require.Contains(t, out, "BREAKDOWN STEP 1 STEP 2 STEP 3 CONVERSION\nweb 3 2 1 33.3%\n")
			},
			func(t *testing.T, v map[string]any) {
				require.Equal(t, "web", v["breakdown"].([]any)[0].(map[string]any)["value"])
			}},
		{"funnel from a request file", []string{"funnel", "-f", writeFile(t, "funnel.json",
			`{"steps":[{"event":"Product Viewed","where":[{"property":"sku","op":"equals","value":"tent"}]},{"event":"Product Added"}]}`)},
			func(t *testing.T, out string) {
				require.Contains(t, out, "2 entered")
				require.Contains(t, out, "2 Product Added 2 100.0% 100.0% 30m0s 0\n")
			},
			func(t *testing.T, v map[string]any) { require.InDelta(t, 2, v["entered"], 0) }},
		{"paths from", []string{"paths", "--from", "Product Viewed", "--depth", "3"},
			func(t *testing.T, out string) {
				require.Contains(t, out, `3 profiles with paths from "Product Viewed"; 0 on paths beyond the top`)
				require.Contains(t, out, "1 33.3% Product Viewed > Product Added > Order Completed\n")
			},
			func(t *testing.T, v map[string]any) {
				require.InDelta(t, 3, v["profiles"], 0)
				require.Len(t, v["paths"], 3)
			}},
		{"paths to", []string{"paths", "--to", "Order Completed", "--level", "channel"},
			func(t *testing.T, out string) {
				require.Contains(t, out, `1 profiles with paths to "Order Completed"`)
			},
			func(t *testing.T, v map[string]any) { require.InDelta(t, 1, v["profiles"], 0) }},
		{"retention", []string{"retention", "--cohort-event", "Product Viewed", "--return-event", "Product Added", "--period", "day", "--periods", "3"},
			func(t *testing.T, out string) {
				require.Contains(t, out, `cohorts by day of first "Product Viewed", returning with "Product Added"`)
				require.Contains(t, out, "COHORT SIZE DAY 0 DAY 1")
				require.Contains(t, out, day.Format(time.DateOnly)+" 3 66.7% 0.0%")
			},
			func(t *testing.T, v map[string]any) {
				row := v["rows"].([]any)[0].(map[string]any)
				require.InDelta(t, 3, row["size"], 0)
				require.InDelta(t, 2, row["retained"].([]any)[0], 0)
			}},
		{"lift", []string{"lift", "--exposure", "Product Added", "--holdout", "Product Viewed", "--window", "1d", "--unit", "customer"},
			// holdout records: the three views (f1 converts); exposed: f1's and f2's adds (f1 converts)
			func(t *testing.T, out string) {
				require.Contains(t, out, "unit customer, window 1d")
				require.Contains(t, out, "holdout 3 3 1 33.3%")
				require.Contains(t, out, "exposed 2 2 1 50.0%")
				require.Contains(t, out, "relative lift 50.0%")
			},
			func(t *testing.T, v map[string]any) {
				require.InDelta(t, 1.0/3, v["holdout"].(map[string]any)["rate"], 1e-12)
				require.InDelta(t, 0.5, v["test"].(map[string]any)["lift"].(map[string]any)["estimate"], 1e-12)
			}},
		{"attribution", []string{"attribution", "--models", "first,last,linear", "--lookback", "30d"},
			func(t *testing.T, out string) {
				require.Contains(t, out, `"Order Completed" attributed by channel`)
				require.Contains(t, out, "CHANNEL FIRST LAST LINEAR\n")
				require.Contains(t, out, "email 0.00 1.00 0.50\n")
				require.Contains(t, out, "web 1.00 0.00 0.50\n")
				require.Contains(t, out, "ATTRIBUTED VALUE\nCHANNEL FIRST LAST LINEAR\nemail 0.00 40.00 20.00\n")
			},
			func(t *testing.T, v map[string]any) {
				require.Equal(t, []any{"first", "last", "linear"}, v["model_names"])
				require.InDelta(t, 1, v["totals"].(map[string]any)["conversions"], 0)
			}},
		{"clv", []string{"clv", "--event", "Plan Renewed", "--revenue", "amount", "--horizon-weeks", "26", "--discount-rate", "0.05"},
			func(t *testing.T, out string) {
				require.Contains(t, out, fmt.Sprintf(`"Plan Renewed" valued by "amount": %d purchases by %d customers`, len(subs), len(customers)))
				require.Contains(t, out, "BG/NBD: r=")
				require.Contains(t, out, "over 26 weeks:")
				require.Contains(t, out, "discounted at 5% a year")
				require.Contains(t, out, "PROFILE REPEATS P(ALIVE) EXPECTED PURCHASES EXPECTED SPEND CLV\n")
			},
			func(t *testing.T, v map[string]any) {
				require.InDelta(t, len(subs), v["transactions"], 0)
				require.InDelta(t, len(customers), v["population"].(map[string]any)["customers"], 0)
				require.Len(t, v["top"], 20)
			}},
		{"clv apply", []string{"clv", "--apply", "--event", "Plan Renewed", "--revenue", "amount", "--calibration-end", now.Format(time.DateOnly)},
			func(t *testing.T, out string) {
				require.Contains(t, out, fmt.Sprintf("wrote p_alive, predicted_purchases_90d, predicted_clv onto %d customers", len(customers)))
			},
			func(t *testing.T, v map[string]any) { require.InDelta(t, len(customers), v["customers"], 0) }},
		{"stages", []string{"stages", "--metric", "opened", "--sort", "sends"},
			func(t *testing.T, out string) {
				require.Contains(t, out, "opened rate by stage at send time, sorted by sends\nSTAGE TEMPLATE CHANNEL SENDS")
			},
			func(t *testing.T, v map[string]any) { require.Equal(t, "opened", v["metric"]) }},
		{"stage flow", []string{"stage-flow", "--period", "day"},
			func(t *testing.T, out string) {
				require.Contains(t, out, "stage changes by day\nPERIOD START CHANGES TRANSITIONS\n")
			},
			func(t *testing.T, v map[string]any) { require.Equal(t, "day", v["period"]) }},
	})

	// A journey with an experiment: the three shoppers enter; f1 buys again
	// after entering, within the experiment's window.
	promo := writeFile(t, "promo.json", `{"id":"promo","name":"Promo","entry":{"api":{},"next":"exp"},"nodes":[
		{"id":"exp","experiment":{"control":{"percent":50,"next":"done"},"variants":[{"id":"B","percent":50,"next":"done"}],
			"metric":"Order Completed","window":"7d"}},
		{"id":"done","exit":{}}]}`)
	for _, args := range [][]string{{"journeys", "create", "-f", promo}, {"journeys", "publish", "promo"},
		{"journeys", "enter", "promo", "--profile", "user_id:f1"}, {"journeys", "enter", "promo", "--profile", "user_id:f2"},
		{"journeys", "enter", "promo", "--profile", "user_id:f3"}} {
		code, out, errs := run(t, append(args, "--url", url, "--data", dir)...)
		require.Equal(t, 0, code, "%v: %s%s", args, out, errs)
	}
	arms := func() (trials, successes float64) {
		code, out, _ := e.run("experiment", "promo", "exp", "-json")
		var v struct {
			Arms []struct{ Trials, Successes float64 } `json:"arms"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
			return -1, -1
		}
		for _, a := range v.Arms {
			trials, successes = trials+a.Trials, successes+a.Successes
		}
		return trials, successes
	}
	require.Eventually(t, func() bool { n, _ := arms(); return n == 3 }, 20*time.Second, 20*time.Millisecond)
	e.send(e.track("f1", "Order Completed", time.Now(), map[string]any{"revenue": 10.0}, nil))
	require.Eventually(t, func() bool { _, n := arms(); return n == 1 }, 20*time.Second, 20*time.Millisecond)
	require.Eventually(t, func() bool {
		code, out, _ := e.run("journey-report", "promo", "-json")
		return code == 0 && strings.Contains(out, `"instances": 3`)
	}, 20*time.Second, 20*time.Millisecond)

	e.check([]onlineCase{
		{"experiment", []string{"experiment", "promo", "exp"},
			func(t *testing.T, out string) {
				require.Contains(t, out, `journey promo v1, experiment node exp: "Order Completed" within 7d of entering`)
				require.Contains(t, out, "ARM PLANNED TRIALS CONVERSIONS RATE P(BEST)\ncontrol 50% ")
				require.Contains(t, out, "\nB 50% ")
				require.Contains(t, out, "B vs control")
				require.Contains(t, out, "sample ratio: chi-square")
			},
			func(t *testing.T, v map[string]any) {
				require.Equal(t, "experiment", v["kind"])
				require.Len(t, v["arms"], 2)
			}},
		{"journey report", []string{"journey-report", "promo"},
			func(t *testing.T, out string) {
				require.Contains(t, out, "journey promo (Promo): 3 instances; converted: treated 0/3 (0.0%), holdout 0/0 (0.0%)\n")
				require.Contains(t, out, "NODE ENTERED WAITING SENT")
				require.Contains(t, out, "\nexp 3 0 0 0 0 0 0 0 0 -\n")
			},
			func(t *testing.T, v map[string]any) {
				require.InDelta(t, 3, v["instances"], 0)
				require.Equal(t, "Promo", v["name"])
			}},
	})

	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		errHas     []string
		skipServer bool // no --url and --data of the running server
	}{
		{"no command", nil, 2, []string{"usage: cairn analytics COMMAND", "funnel --steps"}, true},
		{"unknown command", []string{"cohorts"}, 2, []string{`unknown command "cohorts"`}, true},
		{"funnel without steps", []string{"funnel"}, 2, []string{"give the steps with --steps", "usage: cairn analytics funnel"}, false},
		{"funnel bad order", []string{"funnel", "--steps", steps, "--order", "loose"}, 2, []string{`"loose" is not one of strict, any`, "usage:"}, false},
		{"funnel bad since", []string{"funnel", "--steps", steps, "--since", "yesterday"}, 2, []string{"not an RFC 3339 time"}, false},
		{"funnel stray argument", []string{"funnel", "--steps", steps, "extra"}, 2, []string{`unexpected argument "extra"`}, false},
		{"funnel unknown event", []string{"funnel", "--steps", "Product Viewed,Nope Happened"}, 1, []string{"cairn: ", "Nope Happened"}, false},
		{"funnel bad window", []string{"funnel", "--steps", steps, "--window", "soon"}, 1, []string{"cairn: ", "window must be a duration"}, false},
		{"funnel missing file", []string{"funnel", "-f", filepath.Join(t.TempDir(), "none.json")}, 1, []string{"cairn: read request"}, false},
		{"paths without anchor", []string{"paths"}, 2, []string{"exactly one of --from EVENT and --to EVENT"}, false},
		{"paths with both anchors", []string{"paths", "--from", "A", "--to", "B"}, 2, []string{"exactly one of"}, false},
		{"retention bad period", []string{"retention", "--period", "year"}, 2, []string{`"year" is not one of day, week, month`}, false},
		{"funnel drop-off without a name", []string{"funnel", "--steps", "A,B", "--save-dropoff", "2"}, 2, []string{"--save-dropoff STEP and --segment-name NAME go together"}, false},
		{"funnel drop-off of step 1", []string{"funnel", "--steps", "Product Viewed,Product Added", "--save-dropoff", "1", "--segment-name", "x"}, 1, []string{"drop-off step 1 must be between 2 and 2"}, false},
		{"lift without arms", []string{"lift", "--exposure", "A"}, 2, []string{"give --exposure and --holdout"}, false},
		{"lift unknown event", []string{"lift", "--exposure", "Product Added", "--holdout", "Catalog Held Out"}, 1, []string{`no stored event is named "Catalog Held Out"`}, false},
		{"attribution bad model", []string{"attribution", "--models", "w-shaped"}, 1, []string{"cairn: ", "w-shaped"}, false},
		{"clv without purchases", []string{"clv", "--event", "Never Happened"}, 1, []string{`cairn: validation_error (HTTP 422): no "Never Happened" events before`}, false},
		{"clv bad day", []string{"clv", "--calibration-end", "30/09/2026"}, 2, []string{"not a date"}, false},
		{"experiment without node", []string{"experiment", "promo"}, 2, []string{"give JOURNEY NODE"}, false},
		{"experiment unknown journey", []string{"experiment", "nope", "exp"}, 1, []string{`cairn: not_found (HTTP 404): no journey with id "nope"`}, false},
		{"experiment not a split", []string{"experiment", "promo", "done"}, 1, []string{`node "done" is a`}, false},
		{"journey report unknown", []string{"journey-report", "nope"}, 1, []string{"cairn: ", "nope"}, false},
		{"stages bad metric", []string{"stages", "--metric", "bought"}, 2, []string{`"bought" is not one of opened, clicked, converted`}, false},
		{"journey map without stages", []string{"journey-map"}, 1, []string{"no stage model is defined; create one with PUT /v1/stages"}, false},
		{"journey map bad window", []string{"journey-map", "--window", "soon"}, 1, []string{"window must be a duration"}, false},
		{"server down", []string{"stage-flow", "--url", "http://127.0.0.1:1"}, 1, []string{"is the server running?"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"analytics"}, tc.args...)
			if !tc.skipServer {
				args = append(args, "--url", url, "--data", dir)
			}
			code, out, errs := run(t, args...)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errs)
			for _, s := range tc.errHas {
				require.Contains(t, errs, s)
			}
			require.Empty(t, out)
		})
	}
}

// writeFile writes a file in a temporary folder and returns its path.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}
