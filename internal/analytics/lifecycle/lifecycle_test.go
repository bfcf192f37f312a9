package lifecycle

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/segment"
)

var t0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

func at(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }

func model(t *testing.T) *Model {
	t.Helper()
	m := &Model{Default: "awareness"}
	for _, st := range [][2]string{
		{"retention", `performed "Order Completed" count >= 2 within 30d`},
		{"purchase", `performed "Order Completed" within 30d`},
		{"lapsed", `performed "Order Completed"`},
		{"consideration", `performed "Product Viewed" within 7d`},
	} {
		def, err := segment.ParseText(st[1])
		require.NoError(t, err)
		m.Stages = append(m.Stages, Stage{Name: st[0], Def: def})
	}
	return m
}

func ev(name string, days float64, source string) segment.Event {
	return segment.Event{Type: "track", Name: name, Timestamp: at(days), Source: source, Channel: "web"}
}

func TestColumns(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"awareness", "consideration", "lapsed", "purchase", "retention"}, model(t).Columns())
	m := &Model{Default: "new", Stages: []Stage{{Name: "active"}, {Name: "new"}}}
	require.Equal(t, []string{"new", "active"}, m.Columns(), "the default is listed once")
}

func TestReplay(t *testing.T) {
	t.Parallel()
	m := model(t)
	cols := m.Columns()
	r := NewReplay(m)
	history := []segment.Event{
		ev("Page Viewed", 0, "src_web"),
		ev("Product Viewed", 1, "src_web"),
		ev("Order Completed", 2, "src_web"),
		ev("Order Completed", 40, "src_web"),
		ev("Order Completed", 41, "src_cairn"), // Cairn's own event of a name the model tests counts, as live
		ev("Email Opened", 42, "src_cairn"),
	}
	r.Reset("p1", history, "src_cairn")
	require.Equal(t, 4, r.Count(), "the model reads views and orders, not pages or other events")
	tests := []struct {
		days float64
		want string
	}{
		{0.5, "awareness"},
		{1, "awareness"}, // strictly before the view
		{1.5, "consideration"},
		{2, "consideration"}, // strictly before the order
		{3, "purchase"},
		{31, "purchase"},
		{33, "lapsed"}, // the order left the 30-day window with no new event
		{40.5, "purchase"},
		{41, "purchase"},
		{45, "retention"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, cols[r.Before(at(tt.days))], "day %v", tt.days)
	}
	r.Reset("p1", history[:4], "")
	require.Equal(t, "purchase", cols[r.Before(at(45))], "one order in 30 days")
}

// The cached stage must not outlive its horizon: replaying at increasing
// instants equals evaluating afresh at each.
func TestReplayCacheEqualsFreshEvaluation(t *testing.T) {
	t.Parallel()
	m := model(t)
	history := []segment.Event{ev("Product Viewed", 1, ""), ev("Order Completed", 3, ""), ev("Product Viewed", 50, "")}
	cached := NewReplay(m)
	cached.Reset("p", history, "")
	for d := 0.0; d < 80; d += 0.25 {
		fresh := NewReplay(m)
		fresh.Reset("p", history, "")
		require.Equal(t, fresh.Before(at(d)), cached.Before(at(d)), "day %v", d)
	}
}
