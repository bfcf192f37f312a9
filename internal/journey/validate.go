package journey

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// Refs tells Validate which referenced objects exist. A nil Refs skips the
// reference checks (parsing a draft).
type Refs interface {
	SegmentExists(id string) bool
	// TemplateChannel returns the channel a template is written for.
	TemplateChannel(id string) (string, bool)
	// ChannelKind returns the kind (email, sms, ...) of a configured channel.
	ChannelKind(channel string) (string, bool)
	GroupExists(id string) bool
	JourneyExists(id string) bool
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// Validate checks a definition and prepares it for the engine (decoded
// filters and conditions, the node index). Every problem is reported, each
// naming its path and node.
func (d *Definition) Validate(refs Refs) error {
	v := validator{d: d, refs: refs, byID: map[string]*Node{}}
	v.top()
	v.nodes()
	v.entry()
	v.graph()
	v.goalsAndExits()
	v.settings()
	v.layout()
	if err := v.ps.err(); err != nil {
		return err
	}
	d.index = v.byID
	return nil
}

type validator struct {
	d    *Definition
	refs Refs
	byID map[string]*Node
	ps   problems
}

func (v *validator) top() {
	if !idPattern.MatchString(v.d.ID) {
		v.ps.add("id", "", fmt.Sprintf("%q is not a valid id", v.d.ID), "use 1-128 letters, digits, _, . or -, starting with a letter or digit")
	}
	if strings.TrimSpace(v.d.Name) == "" {
		v.ps.add("name", "", "missing", "give the journey a name people recognise")
	}
	switch v.d.ReEntry.Mode {
	case "", "never", "after_exit", "anytime":
	default:
		v.ps.add("reentry.mode", "", fmt.Sprintf("unknown mode %q", v.d.ReEntry.Mode), "use never, after_exit or anytime")
	}
	v.duration("reentry.min_interval", "", v.d.ReEntry.MinInterval, false)
	if v.d.ReEntry.MaxEntries < 0 {
		v.ps.add("reentry.max_entries", "", "negative", "use 0 for unlimited or a positive count")
	}
}

// duration checks an optional (or required) positive duration in the short form (7d, 12h, 30m).
func (v *validator) duration(path, node, s string, required bool) time.Duration {
	if s == "" {
		if required {
			v.ps.add(path, node, "missing", "write a duration such as 30m, 12h or 7d")
		}
		return 0
	}
	d, err := segment.ParseDuration(s)
	if err != nil || d <= 0 {
		v.ps.add(path, node, fmt.Sprintf("%q is not a positive duration", s), "write a duration such as 30m, 12h or 7d")
		return 0
	}
	return time.Duration(d)
}

func (v *validator) match(path, node string, m *EventMatch, entry bool) {
	if strings.TrimSpace(m.Name) == "" {
		v.ps.add(path+".name", node, "missing event name", `name the event, e.g. "Order Completed"`)
	}
	if m.Key != "" && !entry {
		v.ps.add(path+".key", node, "key is only for the entry event", "use match_key to require the entry key here")
	}
	if m.MaxAge != "" {
		if !entry {
			v.ps.add(path+".max_age", node, "max_age is only for the entry event", "")
		} else if m.MaxAge != "none" {
			v.duration(path+".max_age", node, m.MaxAge, true)
		}
	}
	if len(m.Where) > 0 {
		tree, err := decodeTree(m.Where)
		if err != nil {
			v.ps.add(path+".where", node, "not valid JSON: "+err.Error(), "")
			return
		}
		fs, err := segment.DecodeFilters(path+".where", tree)
		if err != nil {
			v.segmentProblem(path+".where", node, err)
			return
		}
		m.filters = fs
	}
}

func (v *validator) condition(path, node string, raw []byte) *segment.Definition {
	if len(raw) == 0 {
		v.ps.add(path, node, "missing condition", `write a segment condition such as {"trait":{"path":"vip","op":"equals","value":true}}`)
		return nil
	}
	tree, err := decodeTree(raw)
	if err != nil {
		v.ps.add(path, node, "not valid JSON: "+err.Error(), "")
		return nil
	}
	c, err := segment.DecodeNode(path, tree)
	if err != nil {
		v.segmentProblem(path, node, err)
		return nil
	}
	if v.refs != nil {
		for _, r := range c.References() {
			if !v.refs.SegmentExists(r.ID) {
				v.ps.add(r.Path, node, fmt.Sprintf("in_segment names unknown segment %q", r.ID), "create the segment first or fix the id")
			}
		}
	}
	return c
}

// segmentProblem reports an error of the segment language at its own path.
func (v *validator) segmentProblem(path, node string, err error) {
	var se *segment.ValidationError
	if errors.As(err, &se) {
		v.ps.add(se.Path, node, se.Msg, se.Hint)
		return
	}
	v.ps.add(path, node, err.Error(), "")
}

func (v *validator) segmentRef(path, node, id string) {
	if id == "" {
		v.ps.add(path, node, "missing segment id", "name a saved segment")
		return
	}
	if v.refs != nil && !v.refs.SegmentExists(id) {
		v.ps.add(path, node, fmt.Sprintf("unknown segment %q", id), "create the segment first or fix the id")
	}
}

func (v *validator) localTime(path, node, hhmm string, days []string) {
	if _, _, err := policy.ParseHHMM(hhmm); err != nil {
		v.ps.add(path+".time", node, fmt.Sprintf("%q is not a time of day", hhmm), "write 24-hour HH:MM such as 09:00")
	}
	for i, d := range days {
		if _, ok := policy.ParseWeekday(d); !ok {
			v.ps.add(path+".days["+strconv.Itoa(i)+"]", node, fmt.Sprintf("unknown day %q", d), "use mon, tue, wed, thu, fri, sat or sun")
		}
	}
}

func (v *validator) settings() {
	s := v.d.Settings
	if q := s.QuietHours; q != nil {
		v.localTime("settings.quiet_hours.start", "", q.Start, q.Days)
		v.localTime("settings.quiet_hours.end", "", q.End, nil)
		if q.OnQuiet != "" && q.OnQuiet != "defer" && q.OnQuiet != "skip" {
			v.ps.add("settings.quiet_hours.on_quiet", "", fmt.Sprintf("unknown %q", q.OnQuiet), "use defer or skip")
		}
	}
	if s.OnCap != "" && s.OnCap != "advance" && s.OnCap != "wait" {
		v.ps.add("settings.on_cap", "", fmt.Sprintf("unknown %q", s.OnCap), "use advance or wait")
	}
	if s.HoldoutPercent < 0 || s.HoldoutPercent >= 100 {
		v.ps.add("settings.holdout_percent", "", "must be in [0, 100)", "e.g. 10 holds out one customer in ten")
	}
	if s.DefaultTimezone != "" {
		if _, ok := policy.LookupZone(s.DefaultTimezone); !ok {
			v.ps.add("settings.default_timezone", "", fmt.Sprintf("unknown time zone %q", s.DefaultTimezone), "use an IANA name such as America/New_York")
		}
	}
}

// maxCoordinate bounds a canvas position.
const maxCoordinate = 1e6

// layout checks the canvas positions: of the entry or of a step of the
// journey, finite and within ±maxCoordinate.
func (v *validator) layout() {
	for id, p := range v.d.Layout {
		path := "layout." + id
		if _, ok := v.byID[id]; !ok && id != LayoutEntry {
			v.ps.add(path, "", fmt.Sprintf("no step is called %q", id), "remove the position of a step that was deleted or renamed")
			continue
		}
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.Abs(p.X) > maxCoordinate || math.Abs(p.Y) > maxCoordinate {
			v.ps.add(path, id, "position out of range", fmt.Sprintf("x and y are numbers within ±%g", maxCoordinate))
		}
	}
}
