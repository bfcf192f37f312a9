package report

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// DefaultMapRows bounds the rows of a map when the spec sets no limit; the
// rows with the fewest customers are left out (and counted).
const DefaultMapRows = 60

type mapCount struct{ customers, events, advanced int64 }

// mapRow accumulates one touchpoint: the row over every stage and a cell
// per stage.
type mapRow struct {
	mapCount
	cells []mapCount
}

// Map accumulates the journey map: touchpoints (channel × event) down,
// lifecycle stages across. Customers are replayed on several cores; Result
// (or Close, when the scan failed) waits for them.
type Map struct {
	spec    MapSpec
	maxRows int
	cols    []string
	fan     *fanOut[*mapPart]
}

var _ funnel.Accumulator = (*Map)(nil)

// mapPart is the map of the customers one worker replays.
type mapPart struct {
	cols     []string
	rows     []mapRow // by walker row id
	channels map[string]int64
	stages   []mapCount
	trans    map[[2]int]int64
	people   int64
	walker   *walker

	// per history
	seen    map[int64]uint8 // row id << 8 | stage → touched/advanced
	seenSt  []uint8
	seenRow map[int32]bool
	seenCh  map[string]bool
	seenTr  map[[2]int]bool
}

// NewMap starts a journey map of at most maxRows rows (0: DefaultMapRows).
func NewMap(spec MapSpec, maxRows int) (*Map, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	m := &Map{spec: spec, maxRows: cmp.Or(maxRows, DefaultMapRows), cols: spec.Model.Columns()}
	parts := make([]*mapPart, workers())
	for i := range parts {
		parts[i] = newMapPart(&m.spec, m.cols)
	}
	m.fan = newFanOut(parts)
	return m, nil
}

func newMapPart(spec *MapSpec, cols []string) *mapPart {
	return &mapPart{cols: cols, channels: map[string]int64{}, stages: make([]mapCount, len(cols)), trans: map[[2]int]int64{},
		seen: map[int64]uint8{}, seenSt: make([]uint8, len(cols)), seenRow: map[int32]bool{}, seenCh: map[string]bool{},
		seenTr: map[[2]int]bool{}, walker: newWalker(spec)}
}

// Add hands one profile's history to a worker.
func (m *Map) Add(h *funnel.History) { m.fan.Add(h) }

// Close stops the workers; Result calls it.
func (m *Map) Close() { m.fan.Close() }

const (
	touched  uint8 = 1
	advanced uint8 = 2
)

// Add reads one profile's history.
func (m *mapPart) Add(h *funnel.History) {
	clear(m.seen)
	clear(m.seenSt)
	clear(m.seenRow)
	clear(m.seenCh)
	clear(m.seenTr)
	m.walker.walk(h, func(t touch) {
		for int(t.row) >= len(m.rows) {
			m.rows = append(m.rows, mapRow{cells: make([]mapCount, len(m.cols))})
		}
		flag := touched
		if t.advanced {
			flag |= advanced
		}
		m.seen[int64(t.row)<<8|int64(t.stage)] |= flag
		m.seenSt[t.stage] |= flag
		m.seenRow[t.row] = true
		r := &m.rows[t.row]
		r.events++
		r.cells[t.stage].events++
		m.stages[t.stage].events++
	})
	for k, f := range m.seen {
		add(&m.rows[k>>8].cells[k&0xff], f)
	}
	for s, f := range m.seenSt {
		if f != 0 {
			add(&m.stages[s], f)
		}
	}
	for r := range m.seenRow {
		m.rows[r].customers++
		m.seenCh[m.walker.rows[r].Channel] = true
	}
	for ch := range m.seenCh {
		m.channels[ch]++
	}
	if len(m.seen) > 0 {
		m.people++
	}
	for _, c := range m.walker.changes {
		k := [2]int{c.from, c.to}
		if !m.seenTr[k] {
			m.seenTr[k] = true
			m.trans[k]++
		}
	}
}

func add(c *mapCount, f uint8) {
	c.customers++
	if f&advanced != 0 {
		c.advanced++
	}
}

// JourneyMap is the customer journey drawn from the data: lifecycle stages
// across, touchpoints grouped by channel down, customers and events in each
// cell, and how many of a cell's customers moved to a later stage within
// the window after the touchpoint.
type JourneyMap struct {
	Since     time.Time  `json:"since,omitzero"`
	Until     time.Time  `json:"until,omitzero"`
	Window    string     `json:"window"`    // e.g. "30d"
	Customers int64      `json:"customers"` // with at least one touchpoint in the range
	Stages    []MapStage `json:"stages"`
	Rows      []MapRow   `json:"rows"`
	// OmittedRows counts the rows left out beyond the row limit (those with the fewest customers).
	OmittedRows int             `json:"omitted_rows"`
	Transitions []MapTransition `json:"transitions"`
}

// MapStage is a column: the customers with a touchpoint while in the stage.
type MapStage struct {
	Name string `json:"name"`
	MapCell
}

// MapRow is a touchpoint with one cell per stage, in the order of Stages.
type MapRow struct {
	Row
	Customers int64     `json:"customers"` // distinct over the stages
	Events    int64     `json:"events"`
	Cells     []MapCell `json:"cells"`
}

// MapCell counts one touchpoint in one stage.
type MapCell struct {
	Customers int64 `json:"customers"`
	Events    int64 `json:"events"`
	// Advanced is the customers who moved to a later stage within the
	// window after a touchpoint of the cell.
	Advanced    int64    `json:"advanced"`
	AdvanceRate float64  `json:"advance_rate"`
	CI          Interval `json:"ci"`
}

// MapTransition is the customers who changed from one stage to another in
// the range; Forward when To is a later column than From.
type MapTransition struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Customers int64  `json:"customers"`
	Forward   bool   `json:"forward"`
}

func cell(c *mapCount) MapCell {
	return MapCell{Customers: c.customers, Events: c.events, Advanced: c.advanced,
		AdvanceRate: rate(c.advanced, c.customers), CI: Wilson(c.advanced, c.customers)}
}

// Result waits for the workers and builds the map: channels by customers,
// then each channel's touchpoints by customers, at most the row limit.
func (m *Map) Result() JourneyMap {
	m.Close()
	r := JourneyMap{Since: m.spec.Since, Until: m.spec.Until, Window: segment.Duration(m.spec.Window).String(),
		Stages: []MapStage{}, Rows: []MapRow{}, Transitions: []MapTransition{}}
	stages := make([]mapCount, len(m.cols))
	rows := map[Row]*mapRow{}
	channels := map[string]int64{}
	trans := map[[2]int]int64{}
	for _, p := range m.fan.parts {
		r.Customers += p.people
		for i, c := range p.stages {
			stages[i].addAll(c)
		}
		for id := range p.rows {
			key := p.walker.rows[id]
			row := rows[key]
			if row == nil {
				row = &mapRow{cells: make([]mapCount, len(m.cols))}
				rows[key] = row
			}
			row.addAll(p.rows[id].mapCount)
			for i, c := range p.rows[id].cells {
				row.cells[i].addAll(c)
			}
		}
		for ch, n := range p.channels {
			channels[ch] += n
		}
		for k, n := range p.trans {
			trans[k] += n
		}
	}
	for i, name := range m.cols {
		r.Stages = append(r.Stages, MapStage{Name: name, MapCell: cell(&stages[i])})
	}
	var keys []Row
	for k, row := range rows {
		if row.customers > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b Row) int {
		return cmp.Or(cmp.Compare(channels[b.Channel], channels[a.Channel]), cmp.Compare(a.Channel, b.Channel),
			cmp.Compare(rows[b].customers, rows[a].customers), cmp.Compare(a.Touchpoint, b.Touchpoint))
	})
	if len(keys) > m.maxRows {
		keep := slices.Clone(keys)
		slices.SortStableFunc(keep, func(a, b Row) int { return cmp.Compare(rows[b].customers, rows[a].customers) })
		kept := map[Row]bool{}
		for _, k := range keep[:m.maxRows] {
			kept[k] = true
		}
		keys = slices.DeleteFunc(keys, func(k Row) bool { return !kept[k] })
		r.OmittedRows = len(keep) - m.maxRows
	}
	for _, k := range keys {
		row := rows[k]
		out := MapRow{Row: k, Customers: row.customers, Events: row.events}
		for i := range row.cells {
			out.Cells = append(out.Cells, cell(&row.cells[i]))
		}
		r.Rows = append(r.Rows, out)
	}
	tk := slices.Collect(maps.Keys(trans))
	slices.SortFunc(tk, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range tk {
		r.Transitions = append(r.Transitions, MapTransition{From: m.cols[k[0]], To: m.cols[k[1]],
			Customers: trans[k], Forward: k[1] > k[0]})
	}
	return r
}

func (c *mapCount) addAll(o mapCount) {
	c.customers += o.customers
	c.events += o.events
	c.advanced += o.advanced
}
