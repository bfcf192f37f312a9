package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// RFM scores are quintiles (1–5, 5 best) of recency (days since the last
// purchase; recent is better), frequency (orders) and monetary value
// (lifetime revenue) among the customers who bought, read from the built-in
// computed traits and written as model traits by RebinRFM — daily by the
// app, or on demand. Customers without a purchase get no scores. A
// re-binning only rewrites traits: it emits no events, so journeys do not
// react to it unless one is built on a segment that reads the scores.
var rfmTraits = []string{"rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_score"}

// rfmInputs are the traits a re-binning reads: the purchase traits, and
// the score (a customer without purchases loses theirs).
var rfmInputs = []string{"last_purchase_at", "lifetime_revenue", "order_count", "rfm_score"}

// profileRuns yields the runs of rows of one profile (rows ordered by
// profile id).
func profileRuns(rows []store.ProfileTrait) iter.Seq[[]store.ProfileTrait] {
	return func(yield func([]store.ProfileTrait) bool) {
		for start := 0; start < len(rows); {
			end := start + 1
			for end < len(rows) && rows[end].ProfileID == rows[start].ProfileID {
				end++
			}
			if !yield(rows[start:end]) {
				return
			}
			start = end
		}
	}
}

// rfmRow is one purchaser's inputs.
type rfmRow struct {
	id        string
	daysSince float64
	orders    float64
	revenue   float64
}

// RebinRFM recomputes every purchaser's RFM scores from the current traits
// and writes the changed ones; it returns how many profiles changed.
func (p *Processor) RebinRFM(ctx context.Context) (int, error) {
	var rfmRows []rfmRow
	var stale []string // profiles with scores but no purchase any more
	err := p.Do(ctx, func(ctx context.Context) error {
		now := p.clk.Now()
		// Between batches the store holds what the trait cache holds: read a
		// page's inputs in one key range instead of a look-up per profile.
		for after := ""; ; {
			ids, err := p.state.ProfileIDs(ctx, after, segmentBackfillPage)
			if err != nil {
				return fmt.Errorf("list profiles after %q: %w", after, err)
			}
			if len(ids) == 0 {
				return nil
			}
			after = ids[len(ids)-1]
			rows, err := p.state.ProfileTraitsBetween(ctx, ids[0], after, rfmInputs)
			if err != nil {
				return fmt.Errorf("read purchase traits of profiles %s to %s: %w", ids[0], after, err)
			}
			for list := range profileRuns(rows) { // one profile's rows
				traits := make(map[string]json.RawMessage, len(list))
				for _, t := range list {
					traits[t.Path] = t.Value
				}
				id := list[0].ProfileID
				num := func(path string) (float64, bool) {
					var v float64
					if raw, ok := traits[path]; !ok || json.Unmarshal(raw, &v) != nil {
						return 0, false
					}
					return v, true
				}
				orders, ok := num("order_count")
				last, okLast := traits["last_purchase_at"]
				if !ok || orders < 1 || !okLast {
					if _, has := traits["rfm_score"]; has {
						stale = append(stale, id)
					}
					continue
				}
				var ts string
				var at time.Time
				if json.Unmarshal(last, &ts) != nil {
					continue
				}
				if at, err = time.Parse(time.RFC3339Nano, ts); err != nil {
					continue
				}
				revenue, _ := num("lifetime_revenue")
				rfmRows = append(rfmRows, rfmRow{id: id, daysSince: now.Sub(at).Hours() / 24, orders: orders, revenue: revenue})
			}
		}
	})
	if err != nil {
		return 0, err
	}
	values := make(map[string]map[string]any, len(rfmRows)+len(stale))
	r := quintiles(rfmRows, func(x rfmRow) float64 { return -x.daysSince }) // recent is better
	f := quintiles(rfmRows, func(x rfmRow) float64 { return x.orders })
	m := quintiles(rfmRows, func(x rfmRow) float64 { return x.revenue })
	for i, row := range rfmRows {
		values[row.id] = map[string]any{"rfm_recency": r[i], "rfm_frequency": f[i], "rfm_monetary": m[i],
			"rfm_score": strconv.Itoa(r[i]) + strconv.Itoa(f[i]) + strconv.Itoa(m[i])}
	}
	for _, id := range stale {
		v := map[string]any{}
		for _, t := range rfmTraits {
			v[t] = nil
		}
		values[id] = v
	}
	return p.SetModelTraits(ctx, values)
}

// quintiles scores each row 1–5 by the rank of key among all rows (higher
// key, higher score); equal keys get the same score (that of their first rank).
func quintiles(rows []rfmRow, key func(rfmRow) float64) []int {
	n := len(rows)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ka, kb := key(rows[a]), key(rows[b])
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	out := make([]int, n)
	first := 0 // rank of the first row of the current run of equal keys
	for rank := range n {
		if rank > 0 && key(rows[order[rank]]) != key(rows[order[rank-1]]) {
			first = rank
		}
		out[order[rank]] = 1 + first*5/n
	}
	return out
}
