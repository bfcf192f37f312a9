package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

const internalSrc = "src_cairn"

// mapModel is a small lifecycle: two orders in 30 days retain, one makes a
// purchase, an older order is lapsed, a recent view is consideration.
func mapModel(t *testing.T) StageModel {
	t.Helper()
	m := StageModel{Default: "awareness"}
	for _, st := range [][2]string{
		{"retention", `performed "Order Completed" count >= 2 within 30d`},
		{"purchase", `performed "Order Completed" count = 1 within 30d`},
		{"lapsed", `performed "Order Completed"`},
		{"consideration", `performed "Product Viewed" within 30d`},
	} {
		def, err := segment.ParseText(st[1])
		require.NoError(t, err)
		m.Stages = append(m.Stages, ModelStage{Name: st[0], Def: def})
	}
	return m
}

// mapNow ends the open ranges of the tests.
var mapNow = w0.Add(60 * day * time.Hour)

func mapSpec(t *testing.T) MapSpec {
	return MapSpec{Model: mapModel(t), Internal: internalSrc, Now: mapNow}
}

// on is a customer's event in a channel, hours after w0.
func on(channel, name string, hours int) segment.Event {
	e := ev(name, hours, nil)
	e.Channel, e.Source = channel, "src_"+channel
	return e
}

// sent is one of Cairn's messages on a channel.
func sent(name, channel string, hours int) segment.Event {
	e := ev(name, hours, map[string]any{"channel": channel, "send_key": "k"})
	e.Source, e.Channel = internalSrc, "server"
	return e
}

func mapHistories() []*funnel.History {
	page := on("web", "Home", 3)
	page.Type = "page"
	identify := on("web", "", 4)
	identify.Type = "identify"
	entered := ev("Journey Entered", 1, nil)
	entered.Source = internalSrc
	return []*funnel.History{
		// views (awareness → consideration at once), orders (→ purchase), opens an email once lapsed.
		hist("c1", on("web", "Product Viewed", 1*day), on("web", "Order Completed", 5*day), on("email", "Email Opened", 50*day)),
		// a page view that a product view soon follows; the interest fades by the end.
		hist("c2", page, identify, on("app", "Product Viewed", 2*day)),
		// a message in awareness; the order comes after the 30-day window.
		hist("c3", sent(EventMessageSent, "sms", 3*day), on("store", "Order Completed", 40*day)),
		// two orders (purchase, then retention), a return after which nothing moves them on.
		hist("c4", on("store", "Order Completed", 1*day), on("store", "Order Completed", 2*day), on("store", "Return Processed", 3*day)),
		// Cairn's own events are not touchpoints.
		hist("c5", entered),
	}
}

func runMap(t *testing.T, spec MapSpec, maxRows int) JourneyMap {
	t.Helper()
	m, err := NewMap(spec, maxRows)
	require.NoError(t, err)
	for _, h := range mapHistories() {
		m.Add(h)
	}
	return m.Result()
}

func findRow(t *testing.T, r JourneyMap, channel, touchpoint string) MapRow {
	t.Helper()
	for _, row := range r.Rows {
		if row.Channel == channel && row.Touchpoint == touchpoint {
			return row
		}
	}
	t.Fatalf("no row %s/%s in %+v", channel, touchpoint, r.Rows)
	return MapRow{}
}

func TestJourneyMap(t *testing.T) {
	t.Parallel()
	r := runMap(t, mapSpec(t), 0)

	var names []string
	for _, s := range r.Stages {
		names = append(names, s.Name)
	}
	require.Equal(t, []string{"awareness", "consideration", "lapsed", "purchase", "retention"}, names)
	require.Equal(t, int64(4), r.Customers, "c5 has no touchpoint")
	require.Equal(t, "30d", r.Window)

	cells := func(row MapRow) map[string]MapCell {
		out := map[string]MapCell{}
		for i, c := range row.Cells {
			if c.Events > 0 {
				c.AdvanceRate, c.CI = 0, Interval{}
				out[names[i]] = c
			}
		}
		return out
	}
	tests := []struct {
		channel, touchpoint string
		want                map[string]MapCell
	}{
		{"web", "Product Viewed", map[string]MapCell{"awareness": {Customers: 1, Events: 1, Advanced: 1}}},
		{"app", "Product Viewed", map[string]MapCell{"awareness": {Customers: 1, Events: 1, Advanced: 1}}},
		{"web", PageViewed, map[string]MapCell{"awareness": {Customers: 1, Events: 1, Advanced: 1}}},
		{"web", "Order Completed", map[string]MapCell{"consideration": {Customers: 1, Events: 1, Advanced: 1}}},
		{"email", "Email Opened", map[string]MapCell{"lapsed": {Customers: 1, Events: 1}}},
		{"sms", EventMessageSent, map[string]MapCell{"awareness": {Customers: 1, Events: 1}}},
		{"store", "Order Completed", map[string]MapCell{"awareness": {Customers: 2, Events: 2, Advanced: 2},
			"purchase": {Customers: 1, Events: 1, Advanced: 1}}},
		{"store", "Return Processed", map[string]MapCell{"retention": {Customers: 1, Events: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.channel+"/"+tt.touchpoint, func(t *testing.T) {
			require.Equal(t, tt.want, cells(findRow(t, r, tt.channel, tt.touchpoint)))
		})
	}
	require.Len(t, r.Rows, len(tests), "no identify, no Cairn events but messages")
	var order []string
	for _, row := range r.Rows {
		if len(order) == 0 || order[len(order)-1] != row.Channel {
			order = append(order, row.Channel)
		}
	}
	require.Equal(t, []string{"store", "web", "app", "email", "sms"}, order, "channels by customers, then by name")

	aw := r.Stages[0]
	require.Equal(t, int64(4), aw.Customers)
	require.Equal(t, int64(4), aw.Advanced)
	require.Equal(t, 1.0, aw.AdvanceRate)

	require.Equal(t, []MapTransition{
		{From: "awareness", To: "consideration", Customers: 2, Forward: true},
		{From: "awareness", To: "purchase", Customers: 2, Forward: true},
		{From: "consideration", To: "awareness", Customers: 1, Forward: false},
		{From: "consideration", To: "purchase", Customers: 1, Forward: true},
		{From: "purchase", To: "lapsed", Customers: 1, Forward: false},
		{From: "purchase", To: "retention", Customers: 1, Forward: true},
		{From: "retention", To: "lapsed", Customers: 1, Forward: false},
	}, r.Transitions)
}

func TestJourneyMapRangeAndRows(t *testing.T) {
	t.Parallel()
	spec := mapSpec(t)
	spec.Since = w0.Add(3 * day * time.Hour)
	r := runMap(t, spec, 0)
	require.Equal(t, int64(3), r.Customers, "c1 from its order on, c3's message, c4's return")
	require.Equal(t, int64(1), findRow(t, r, "web", "Order Completed").Customers)
	require.Equal(t, "consideration", r.Stages[findStage(r, "consideration")].Name)

	r = runMap(t, mapSpec(t), 2)
	require.Len(t, r.Rows, 2)
	require.Equal(t, 6, r.OmittedRows)

	spec = mapSpec(t)
	spec.Window = 60 * 24 * time.Hour
	r = runMap(t, spec, 0)
	require.Equal(t, int64(1), findRow(t, r, "sms", EventMessageSent).Cells[0].Advanced, "the order at day 40 is inside 60 days")

	spec = mapSpec(t)
	spec.Until = w0.Add(10 * day * time.Hour)
	r = runMap(t, spec, 0)
	for _, tr := range r.Transitions {
		require.NotEqual(t, "lapsed", tr.To, "nobody lapses before day 10")
	}
}

func findStage(r JourneyMap, name string) int {
	for i, s := range r.Stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func TestJourneyMapInvalid(t *testing.T) {
	t.Parallel()
	m := mapModel(t)
	for _, spec := range []MapSpec{
		{Now: mapNow},
		{Model: m, Since: w0, Until: w0},
		{Model: m, Now: mapNow, Window: -time.Hour},
		{Model: m},
		{Model: StageModel{Default: "a", Stages: []ModelStage{{Name: "b"}}}, Now: mapNow},
	} {
		_, err := NewMap(spec, 0)
		require.ErrorIs(t, err, ErrInvalid)
	}
	for _, q := range []string{" ", "vip"} {
		_, err := NewMapCustomers(mapSpec(t), CellQuery{Stage: q})
		require.ErrorIs(t, err, ErrInvalid)
	}
}

// TestMapCustomersMatchCells checks every cell's drill-down lists as many
// customers (and advanced customers) as the map counts.
func TestMapCustomersMatchCells(t *testing.T) {
	t.Parallel()
	spec := mapSpec(t)
	r := runMap(t, spec, 0)
	yes := true
	for _, row := range r.Rows {
		for i, c := range row.Cells {
			q := CellQuery{Stage: r.Stages[i].Name, Channel: row.Channel, Touchpoint: row.Touchpoint}
			all := drill(t, spec, q)
			q.Advanced = &yes
			adv := drill(t, spec, q)
			require.Equal(t, int(c.Customers), all.Total, "%s/%s in %s", row.Channel, row.Touchpoint, q.Stage)
			require.Equal(t, int(c.Advanced), adv.Total)
			var events int64
			for _, cc := range all.Customers {
				events += cc.Events
			}
			require.Equal(t, c.Events, events)
		}
	}
	for _, s := range r.Stages {
		require.Equal(t, int(s.Customers), drill(t, spec, CellQuery{Stage: s.Name}).Total, s.Name)
	}
}

func drill(t *testing.T, spec MapSpec, q CellQuery) CellPage {
	t.Helper()
	c, err := NewMapCustomers(spec, q)
	require.NoError(t, err)
	for _, h := range mapHistories() {
		c.Add(h)
	}
	return c.Page("", 100)
}

func TestMapCustomersPages(t *testing.T) {
	t.Parallel()
	c, err := NewMapCustomers(mapSpec(t), CellQuery{Stage: "consideration"})
	require.NoError(t, err)
	for _, h := range mapHistories() {
		c.Add(h)
	}
	require.Equal(t, 1, c.Page("", 1).Total, "c1's order")
	c, err = NewMapCustomers(mapSpec(t), CellQuery{Stage: "awareness"})
	require.NoError(t, err)
	for _, h := range mapHistories() {
		c.Add(h)
	}
	p := c.Page("", 3)
	require.Equal(t, 4, p.Total)
	require.Equal(t, []string{"c1", "c2", "c3"}, []string{p.Customers[0].ProfileID, p.Customers[1].ProfileID, p.Customers[2].ProfileID})
	require.Equal(t, "c3", p.Next)
	require.Equal(t, w0.Add(3*time.Hour), p.Customers[1].First, "c2's page view")
	require.Equal(t, w0.Add(2*day*time.Hour), p.Customers[1].Last)
	require.Equal(t, int64(2), p.Customers[1].Events)
	p = c.Page(p.Next, 3)
	require.Equal(t, "c4", p.Customers[0].ProfileID)
	require.Empty(t, p.Next)
	require.Empty(t, c.Page("c4", 3).Customers)
}
