package source

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
	"github.com/cairn-cdp/cairn/internal/segment"
	"github.com/cairn-cdp/cairn/internal/store"
)

// PurchaseQuery selects purchase events.
type PurchaseQuery struct {
	Event   string    // the track event that is a purchase, e.g. "Order Completed"
	Revenue string    // the property holding its value (dotted for nesting); "" values every purchase 0
	Until   time.Time // optional, exclusive: purchases at or after it are ignored
}

// Purchases reads every purchase event of every surviving profile as a
// clv.Transaction whose Customer is the profile id. A missing or
// non-numeric revenue property counts as 0 and is counted in missing.
func Purchases(ctx context.Context, st State, lg Log, q PurchaseQuery) (txs []clv.Transaction, missing int, err error) {
	err = Each(ctx, st, Filter{Type: "track", Event: q.Event, Until: q.Until}, func(id string, es []store.TimelineEntry) error {
		var evs map[int64]segment.Event
		if q.Revenue != "" {
			p, err := Payloads(ctx, lg, es)
			if err != nil {
				return fmt.Errorf("purchases of %s: %w", id, err)
			}
			evs = p
		}
		for _, e := range es {
			v := 0.0
			if q.Revenue != "" {
				ev, ok := evs[e.Seq]
				if v, ok = Number(ev.Properties, q.Revenue); !ok {
					missing++
				}
			}
			txs = append(txs, clv.Transaction{Customer: id, Time: e.Timestamp, Value: v})
		}
		return nil
	})
	return txs, missing, err
}

// Number reads a finite number at a dotted path of m (a flat dotted key
// first); numeric strings count.
func Number(m map[string]any, path string) (float64, bool) {
	v, ok := Lookup(m, path)
	if !ok {
		return 0, false
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case string:
		p, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, false
		}
		f = p
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// String reads a non-empty string at a dotted path of m.
func String(m map[string]any, path string) string {
	v, _ := Lookup(m, path)
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// Lookup reads a dotted path from nested maps (or a flat dotted key).
func Lookup(m map[string]any, path string) (any, bool) {
	if v, ok := m[path]; ok {
		return v, v != nil
	}
	cur := any(m)
	for part := range strings.SplitSeq(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[part]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}
