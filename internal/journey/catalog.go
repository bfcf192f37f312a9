package journey

import (
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Version is one validated, published journey version.
type Version struct {
	JourneyID   string
	Number      int
	Def         *Definition
	PublishedAt time.Time
}

// Catalog is the set of journeys the engine runs: the version taking
// entries for each live journey and every version that still has
// instances. It is immutable; the processor builds a new one on change.
type Catalog struct {
	live     map[string]*Version         // journey id → version taking entries (status live)
	status   map[string]string           // journey id → status
	versions map[string]map[int]*Version // every loaded version
	byEvent  map[string][]*Version       // entry event name → live versions
	bySeg    map[string][]*Version       // entry segment id → live versions
	names    map[string]bool             // every event name any loaded version reacts to
	segs     map[string]bool             // every segment id any loaded version reacts to
	winners  map[string]string           // ExperimentKey → winning variant
}

// NewCatalog builds a catalog from journeys and their validated versions
// (the live version of each journey and any older ones with instances).
func NewCatalog(journeys []store.Journey, versions []*Version) *Catalog {
	c := &Catalog{
		live: map[string]*Version{}, status: map[string]string{}, versions: map[string]map[int]*Version{},
		byEvent: map[string][]*Version{}, bySeg: map[string][]*Version{}, names: map[string]bool{}, segs: map[string]bool{},
	}
	for _, j := range journeys {
		c.status[j.ID] = j.Status
	}
	for _, v := range versions {
		if c.versions[v.JourneyID] == nil {
			c.versions[v.JourneyID] = map[int]*Version{}
		}
		c.versions[v.JourneyID][v.Number] = v
		c.react(v.Def)
	}
	for _, j := range journeys {
		v := c.versions[j.ID][j.LiveVersion]
		if v == nil || j.Status != store.JourneyLive {
			continue
		}
		c.live[j.ID] = v
		switch e := v.Def.Entry; {
		case e.Event != nil:
			c.byEvent[e.Event.Name] = append(c.byEvent[e.Event.Name], v)
		case e.Segment != nil:
			c.bySeg[e.Segment.ID] = append(c.bySeg[e.Segment.ID], v)
		}
	}
	return c
}

// react records what a version listens to, so the processor can skip
// events no journey cares about.
func (c *Catalog) react(d *Definition) {
	if e := d.Entry.Event; e != nil {
		c.names[e.Name] = true
	}
	if e := d.Entry.Segment; e != nil {
		c.segs[e.ID] = true
	}
	for i := range d.Nodes {
		if w := d.Nodes[i].Wait; w != nil {
			for _, b := range w.Branches {
				if b.Event != nil {
					c.names[b.Event.Name] = true
				}
				if b.Segment != "" {
					c.segs[b.Segment] = true
				}
			}
		}
	}
	for _, g := range d.Goals {
		c.names[g.Event.Name] = true
	}
	for _, x := range d.Exit {
		if x.Event != nil {
			c.names[x.Event.Name] = true
		}
		if x.Segment != nil {
			c.segs[x.Segment.ID] = true
		}
	}
}

// Empty reports whether no journey is loaded.
func (c *Catalog) Empty() bool { return c == nil || len(c.versions) == 0 }

// Version returns a loaded version.
func (c *Catalog) Version(journeyID string, n int) (*Version, bool) {
	v, ok := c.versions[journeyID][n]
	return v, ok
}

// Live returns the version of a journey taking entries.
func (c *Catalog) Live(journeyID string) (*Version, bool) {
	v, ok := c.live[journeyID]
	return v, ok
}

// Status returns a journey's status ("" if unknown).
func (c *Catalog) Status(journeyID string) string { return c.status[journeyID] }

// Relevant tells whether an event can matter to some journey: it may
// enter, advance, convert or exit someone. Internal delivery events always
// matter (they settle waiting sends).
func (c *Catalog) Relevant(name string, internalSegmentID string) bool {
	if c.Empty() {
		return false
	}
	if c.names[name] || strings.HasPrefix(name, "Message ") || strings.HasPrefix(name, "Email ") {
		return true
	}
	return internalSegmentID != "" && c.segs[internalSegmentID]
}

// Journeys lists the ids of every loaded journey, sorted.
func (c *Catalog) Journeys() []string {
	out := make([]string, 0, len(c.versions))
	for id := range c.versions {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
