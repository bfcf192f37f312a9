package segment

import (
	"testing"
	"time"
)

func TestEvaluatePerformed(t *testing.T) {
	t.Parallel()
	order := func(at time.Time, revenue float64) Event {
		return ev("Order Completed", at, map[string]any{"revenue": revenue})
	}
	withCtx := ev("Page Viewed", ago(time.Hour), map[string]any{"path": "/pricing"})
	withCtx.Context = map[string]any{"campaign": map[string]any{"source": "google"}}
	a := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cases := []evalCase{
		{name: "never performed", def: `performed "Order Completed"`, want: false},
		{name: "performed once", def: `performed "Order Completed"`, events: []Event{order(ago(day), 10)}, want: true},
		{name: "other event name", def: `performed "Order Completed"`, events: []Event{ev("Cart Viewed", ago(day), nil)}, want: false},
		{name: "future event not yet", def: `performed "Order Completed"`, events: []Event{order(t0.Add(time.Second), 10)}, want: false},
		{name: "event at now counts", def: `performed "Order Completed"`, events: []Event{order(t0, 10)}, want: true},
		{name: "within inside", def: `performed "Order Completed" within 30d`, events: []Event{order(ago(30*day-time.Second), 10)}, want: true},
		{name: "within boundary excluded", def: `performed "Order Completed" within 30d`, events: []Event{order(ago(30*day), 10)}, want: false},
		{name: "where passes", def: `performed "Order Completed" where revenue > 100`, events: []Event{order(ago(day), 150)}, want: true},
		{name: "where fails", def: `performed "Order Completed" where revenue > 100`, events: []Event{order(ago(day), 100)}, want: false},
		{name: "where on missing property", def: `performed "Order Completed" where coupon exists`, events: []Event{order(ago(day), 1)}, want: false},
		{name: "where on context", def: `performed "Page Viewed" where context.campaign.source = "google", path starts_with "/pri"`, events: []Event{withCtx}, want: true},
		{name: "count = 0 no events", def: `performed "Order Completed" count = 0 within 7d`, want: true},
		{name: "count = 0 old event", def: `performed "Order Completed" count = 0 within 7d`, events: []Event{order(ago(8*day), 1)}, want: true},
		{name: "count = 0 recent event", def: `performed "Order Completed" count = 0 within 7d`, events: []Event{order(ago(6*day), 1)}, want: false},
		{name: "count >= 2", def: `performed "Order Completed" count >= 2`, events: []Event{order(ago(day), 1), order(ago(2*day), 1)}, want: true},
		{name: "count >= 2 only one matching", def: `performed "Order Completed" where revenue > 5 count >= 2`, events: []Event{order(ago(day), 10), order(ago(2*day), 1)}, want: false},
		{name: "count < 3", def: `performed "Order Completed" count < 3`, events: []Event{order(ago(day), 1)}, want: true},
		{name: "count != 1", def: `performed "Order Completed" count != 1`, events: []Event{order(ago(day), 1)}, want: false},
		{name: "relative window to end included", def: `performed "Order Completed" from 30d ago to 7d ago`, events: []Event{order(ago(7*day), 1)}, want: true},
		{name: "relative window too recent", def: `performed "Order Completed" from 30d ago to 7d ago`, events: []Event{order(ago(7*day-time.Second), 1)}, want: false},
		{name: "relative window start excluded", def: `performed "Order Completed" from 30d ago to 7d ago`, events: []Event{order(ago(30*day), 1)}, want: false},
		{name: "absolute after inclusive", def: `performed "Order Completed" after "2026-06-01T00:00:00Z"`, events: []Event{order(a, 1)}, want: true},
		{name: "absolute before exclusive", def: `performed "Order Completed" before "2026-06-01T00:00:00Z"`, events: []Event{order(a, 1)}, want: false},
		{name: "absolute bounded", def: `performed "Order Completed" after "2026-05-01T00:00:00Z" before "2026-06-01T00:00:00Z"`, events: []Event{order(a.Add(-time.Second), 1)}, want: true},
		{name: "unsorted input", def: `performed "Order Completed" count >= 2 within 2d`, events: []Event{order(ago(time.Hour), 1), order(ago(40*day), 1), order(ago(day), 1)}, want: true},
	}
	runEvalCases(t, cases)
}

func TestEvaluateFirstLast(t *testing.T) {
	t.Parallel()
	o := func(at time.Time, props map[string]any) Event { return ev("Order Completed", at, props) }
	events := []Event{
		o(ago(100*day), map[string]any{"coupon": "WELCOME", "total": float64(20)}),
		o(ago(50*day), map[string]any{"total": float64(0)}),
		o(ago(10*day), map[string]any{"total": float64(80)}),
	}
	cases := []evalCase{
		{name: "first has coupon", def: `first_performed "Order Completed" has coupon = "WELCOME"`, events: events, want: true},
		{name: "last has no coupon", def: `last_performed "Order Completed" has coupon exists`, events: events, want: false},
		{name: "last time within", def: `last_performed "Order Completed" time within_last 30d`, events: events, want: true},
		{name: "first time before_last", def: `first_performed "Order Completed" time before_last 100d`, events: events, want: true},
		{name: "first time boundary", def: `first_performed "Order Completed" time before_last 100d`, events: events, now: t0.Add(-time.Second), want: false},
		{name: "where selects qualifying", def: `last_performed "Order Completed" where total < 50 has total = 0`, events: events, want: true},
		{name: "no qualifying event", def: `first_performed "Refund" time within_last 1000d`, events: events, want: false},
		{name: "future event not selected", def: `last_performed "Order Completed" has total = 80`, events: append(events, o(t0.Add(time.Hour), map[string]any{"total": float64(1)})), want: true},
		{name: "tie takes later input", def: `last_performed "X" has n = 2`, events: []Event{ev("X", ago(day), map[string]any{"n": float64(1)}), ev("X", ago(day), map[string]any{"n": float64(2)})}, want: true},
	}
	runEvalCases(t, cases)
}

func TestEvaluateSequence(t *testing.T) {
	t.Parallel()
	start := ago(20 * day)
	at := func(name string, d time.Duration) Event { return ev(name, start.Add(d), nil) }
	cases := []evalCase{
		{name: "in order", def: `sequence "A" then "B"`, events: []Event{at("A", 0), at("B", time.Hour)}, want: true},
		{name: "wrong order", def: `sequence "A" then "B"`, events: []Event{at("B", 0), at("A", time.Hour)}, want: false},
		{name: "one event cannot be two steps", def: `sequence "A" then "A"`, events: []Event{at("A", 0)}, want: false},
		{name: "repeated event two steps", def: `sequence "A" then "A"`, events: []Event{at("A", 0), at("A", time.Second)}, want: true},
		{name: "same timestamp keeps input order", def: `sequence "A" then "B"`, events: []Event{at("A", 0), at("B", 0)}, want: true},
		{name: "within span", def: `sequence "A" then "B" within 7d`, events: []Event{at("A", 0), at("B", 7*day-time.Second)}, want: true},
		{name: "span boundary excluded", def: `sequence "A" then "B" within 7d`, events: []Event{at("A", 0), at("B", 7*day)}, want: false},
		{name: "later start fits span", def: `sequence "A" then "B" within 7d`, events: []Event{at("A", 0), at("A", 5*day), at("B", 8*day)}, want: true},
		{name: "step filter", def: `sequence "A" then "B" where sku = "x"`, events: []Event{at("A", 0), ev("B", start.Add(time.Hour), map[string]any{"sku": "y"})}, want: false},
		{name: "negated between blocks", def: `sequence "A" then not "B" then "D"`, events: []Event{at("A", 0), at("B", time.Hour), at("D", 2*time.Hour)}, want: false},
		{name: "negated between avoided by later start", def: `sequence "A" then not "B" then "D"`, events: []Event{at("A", 0), at("B", time.Hour), at("A", 2*time.Hour), at("D", 3*time.Hour)}, want: true},
		{name: "greedy trap", def: `sequence "A" then "C" then not "B" then "D"`, events: []Event{at("A", 0), at("C", 1*time.Hour), at("B", 2*time.Hour), at("C", 3*time.Hour), at("D", 4*time.Hour)}, want: true},
		{name: "trailing negation elapsed", def: `sequence "A" then not "B" within 7d`, events: []Event{ev("A", ago(7*day), nil)}, want: true},
		{name: "trailing negation not yet elapsed", def: `sequence "A" then not "B" within 7d`, events: []Event{ev("A", ago(7*day-time.Second), nil)}, want: false},
		{name: "trailing negation violated", def: `sequence "A" then not "B" within 7d`, events: []Event{at("A", 0), at("B", 6*day)}, want: false},
		{name: "trailing negation after span ok", def: `sequence "A" then not "B" within 7d`, events: []Event{at("A", 0), at("B", 7*day)}, want: true},
		{name: "trailing negation unbounded", def: `sequence "A" then not "B"`, events: []Event{at("A", 0)}, want: true},
		{name: "trailing negation unbounded violated", def: `sequence "A" then not "B"`, events: []Event{at("A", 0), at("B", 30*time.Minute)}, want: false},
		{name: "trailing negation later A", def: `sequence "A" then not "B"`, events: []Event{at("A", 0), at("B", 30*time.Minute), at("A", time.Hour)}, want: true},
		{name: "negated step equal to previous event not between", def: `sequence "A" then not "A" then "C"`, events: []Event{at("A", 0), at("C", time.Hour)}, want: true},
	}
	runEvalCases(t, cases)
}

func TestEvaluateAggregate(t *testing.T) {
	t.Parallel()
	o := func(d time.Duration, props map[string]any) Event { return ev("Order Completed", ago(d), props) }
	orders := []Event{
		o(400*day, map[string]any{"revenue": float64(1000), "cat": "old"}),
		o(300*day, map[string]any{"revenue": float64(200), "cat": "shoes"}),
		o(200*day, map[string]any{"revenue": float64(100), "cat": "hats"}),
		o(100*day, map[string]any{"revenue": "n/a", "cat": "hats"}),
		o(10*day, map[string]any{"revenue": float64(200), "cat": "shoes"}),
		o(5*day, map[string]any{"cat": "bags"}),
	}
	cases := []evalCase{
		{name: "sum in window", def: `aggregate sum revenue of "Order Completed" within 365d >= 500`, events: orders, want: true},
		{name: "sum boundary", def: `aggregate sum revenue of "Order Completed" within 365d > 500`, events: orders, want: false},
		{name: "sum of nothing is 0", def: `aggregate sum revenue of "Refund" = 0`, events: orders, want: true},
		{name: "count", def: `aggregate count of "Order Completed" within 365d = 5`, events: orders, want: true},
		{name: "avg skips non-numbers", def: `aggregate avg revenue of "Order Completed" within 365d between 166.6 and 166.7`, events: orders, want: true},
		{name: "min", def: `aggregate min revenue of "Order Completed" = 100`, events: orders, want: true},
		{name: "max", def: `aggregate max revenue of "Order Completed" within 365d = 200`, events: orders, want: true},
		{name: "avg of nothing undefined", def: `aggregate avg revenue of "Refund" != 1`, events: orders, want: false},
		{name: "distinct_count", def: `aggregate distinct_count cat of "Order Completed" within 365d = 3`, events: orders, want: true},
		{name: "distinct_count string and number", def: `aggregate distinct_count v of "X" = 2`, events: []Event{ev("X", ago(day), map[string]any{"v": "5"}), ev("X", ago(day), map[string]any{"v": float64(5)})}, want: true},
		{name: "most_frequent tie alphabetical", def: `aggregate most_frequent cat of "Order Completed" within 365d = "hats"`, events: orders, want: true},
		{name: "most_frequent clear winner", def: `aggregate most_frequent cat of "Order Completed" within 20d in ["bags", "shoes"]`, events: orders, want: true},
		{name: "most_frequent of nothing", def: `aggregate most_frequent cat of "Refund" not_in ["x"]`, events: orders, want: false},
		{name: "first with property", def: `aggregate first cat of "Order Completed" within 365d = "shoes"`, events: orders, want: true},
		{name: "last with property", def: `aggregate last revenue of "Order Completed" = 200`, events: orders, want: true},
		{name: "last string op", def: `aggregate last cat of "Order Completed" starts_with "ba"`, events: orders, want: true},
		{name: "where applies", def: `aggregate sum revenue of "Order Completed" where cat = "shoes" = 400`, events: orders, want: true},
		{name: "relative window", def: `aggregate sum revenue of "Order Completed" from 365d ago to 30d ago = 300`, events: orders, want: true},
	}
	runEvalCases(t, cases)
}

func TestEvaluateChannel(t *testing.T) {
	t.Parallel()
	store := ev("Purchase", ago(10*day), nil)
	store.Channel, store.Source = "store", "src_pos"
	events := []Event{store, ev("Page Viewed", ago(day), nil)}
	cases := []evalCase{
		{name: "any activity", def: `channel within 2d`, events: events, want: true},
		{name: "store within 30d", def: `channel channels ["store"] within 30d`, events: events, want: true},
		{name: "store within 10d boundary", def: `channel channels ["store"] within 10d`, events: events, want: false},
		{name: "source", def: `channel sources ["src_pos"]`, events: events, want: true},
		{name: "channel and source both", def: `channel channels ["web"] sources ["src_pos"]`, events: events, want: false},
		{name: "no events", def: `channel channels ["web"]`, want: false},
	}
	runEvalCases(t, cases)
}
