package importer

import (
	"fmt"
	"slices"
	"strings"
)

// valueType is the JSON type a mapped column is written as.
type valueType uint8

const (
	typeAuto   valueType = iota // CSV: string; JSONL: the JSON value as it is
	typeString                  // always a JSON string
	typeInt                     // a JSON integer
	typeFloat                   // a JSON number
	typeBool                    // true or false
)

var typeNames = map[string]valueType{"string": typeString, "int": typeInt, "float": typeFloat, "bool": typeBool}

// dest is where a mapped column lands in the event.
type dest uint8

const (
	destBody        dest = iota // traits (identify) or properties (track)
	destContext                 // context.<path>
	destUserID                  // top-level userId
	destAnonymousID             // top-level anonymousId
)

// target is a parsed --map right-hand side.
type target struct {
	dest dest
	path []string
	typ  valueType
}

func parseTarget(s string) (target, error) {
	var t target
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if typ, ok := typeNames[strings.ToLower(s[i+1:])]; ok {
			t.typ, s = typ, s[:i]
		}
	}
	if s == "" {
		return t, fmt.Errorf("empty target path")
	}
	switch s {
	case "userId":
		t.dest = destUserID
		return t, nil
	case "anonymousId":
		t.dest = destAnonymousID
		return t, nil
	case "context":
		return t, fmt.Errorf("map to a path inside context, e.g. context.ip")
	}
	t.path = strings.Split(s, ".")
	if slices.Contains(t.path, "") {
		return t, fmt.Errorf("path %q has an empty segment", s)
	}
	if t.path[0] == "context" {
		t.dest, t.path = destContext, t.path[1:]
	}
	return t, nil
}

// node is one key of a generated object: a leaf fed by a column (or a
// constant), or an object of further nodes.
type node struct {
	name     string
	key      []byte // `"name":`
	leaf     bool
	col      int    // leaf: index into plan.columns; -1 for a constant
	constant []byte // leaf with col -1: JSON written as is
	typ      valueType
	isID     bool   // the email identifier: trimmed and checked
	origin   string // for conflict messages
	children []*node
}

func (n *node) insert(path []string, leaf *node) error {
	cur := n
	for i, seg := range path {
		var next *node
		for _, c := range cur.children {
			if c.name == seg {
				next = c
				break
			}
		}
		last := i == len(path)-1
		if next != nil && (last || next.leaf) {
			if last && next.leaf && next.col == leaf.col && next.col >= 0 {
				next.isID = next.isID || leaf.isID
				return nil // the same column twice, e.g. the email id column also mapped to email
			}
			return fmt.Errorf("%w: %s and %s both write %s", ErrInvalidSpec, next.origin, leaf.origin, strings.Join(path[:i+1], "."))
		}
		if next == nil {
			next = &node{name: seg, key: appendKey(nil, seg), origin: leaf.origin, col: -1}
			cur.children = append(cur.children, next)
			if last {
				leaf.name, leaf.key = next.name, next.key
				*next = *leaf
				return nil
			}
		}
		cur = next
	}
	return nil
}

// sort orders children by key so the JSON does not depend on column order.
func (n *node) sort() {
	slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
	for _, c := range n.children {
		c.sort()
	}
}

func appendKey(b []byte, name string) []byte {
	b = appendJSONString(b, []byte(name))
	return append(b, ':')
}

// plan is a Spec compiled against the file's columns.
type plan struct {
	spec        Spec
	head        []byte   // `{"type":"identify"`
	bodyKey     []byte   // `,"traits":` or `,"properties":`
	columns     []string // the columns rows are read from; cell i holds columns[i]
	idCol       int
	userIDCol   int // -1 when no column feeds userId
	anonIDCol   int
	eventCol    int
	eventName   []byte // JSON string of the fixed event name
	tsCol       int
	body        *node
	ctx         *node
	passthrough bool            // JSONL with no Map: every key not in special goes to the body
	special     map[string]bool // id, event and timestamp columns
}

const libraryJSON = `{"name":"cairn-import"}`

// compile builds the plan. header is the CSV header (nil for JSONL, whose
// columns are the keys of each flat row).
func compile(spec Spec, header []string) (*plan, error) {
	spec = spec.withDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	p := &plan{
		spec: spec, userIDCol: -1, anonIDCol: -1, eventCol: -1, tsCol: -1,
		head:    appendJSONString([]byte(`{"type":`), []byte(spec.Kind)),
		bodyKey: []byte(`,"traits":`),
		body:    &node{col: -1}, ctx: &node{col: -1},
		special: map[string]bool{},
	}
	if spec.Kind == KindTrack {
		p.bodyKey = []byte(`,"properties":`)
	}
	col := func(name string) int {
		if i := slices.Index(p.columns, name); i >= 0 {
			return i
		}
		p.columns = append(p.columns, name)
		return len(p.columns) - 1
	}
	p.idCol = col(spec.IDColumn)
	p.special[spec.IDColumn] = true
	idOrigin := fmt.Sprintf("--id-column %s (--id-type %s)", spec.IDColumn, spec.IDType)
	switch spec.IDType {
	case IDUserID:
		p.userIDCol = p.idCol
	case IDAnonymousID:
		p.anonIDCol = p.idCol
	case IDEmail:
		root, path := p.body, []string{"email"}
		if spec.Kind == KindTrack {
			root, path = p.ctx, []string{"traits", "email"}
		}
		leaf := &node{leaf: true, col: p.idCol, typ: typeString, isID: true, origin: idOrigin}
		if err := root.insert(path, leaf); err != nil {
			return nil, err
		}
	}
	if spec.EventColumn != "" {
		p.eventCol = col(spec.EventColumn)
		p.special[spec.EventColumn] = true
	} else if spec.Kind == KindTrack {
		p.eventName = appendJSONString(nil, []byte(spec.Event))
	}
	if spec.TimestampColumn != "" {
		p.tsCol = col(spec.TimestampColumn)
		p.special[spec.TimestampColumn] = true
	}
	if err := p.ctx.insert([]string{"library"}, &node{leaf: true, col: -1, constant: []byte(libraryJSON), origin: "the importer (context.library)"}); err != nil {
		return nil, err
	}

	columns := make([]string, 0, len(spec.Map))
	for c := range spec.Map {
		columns = append(columns, c)
	}
	slices.Sort(columns)
	for _, c := range columns {
		t, err := parseTarget(spec.Map[c])
		if err != nil {
			return nil, fmt.Errorf("%w: --map %s=%s: %w", ErrInvalidSpec, c, spec.Map[c], err)
		}
		origin := fmt.Sprintf("--map %s=%s", c, spec.Map[c])
		i := col(c)
		switch t.dest {
		case destUserID, destAnonymousID:
			slot, other := &p.userIDCol, "userId"
			if t.dest == destAnonymousID {
				slot, other = &p.anonIDCol, "anonymousId"
			}
			if *slot >= 0 && *slot != i {
				return nil, fmt.Errorf("%w: %s and %s both write %s", ErrInvalidSpec, idOrigin, origin, other)
			}
			*slot = i
		case destBody, destContext:
			root := p.body
			if t.dest == destContext {
				root = p.ctx
			}
			if err := root.insert(t.path, &node{leaf: true, col: i, typ: t.typ, origin: origin}); err != nil {
				return nil, err
			}
		}
	}
	if len(spec.Map) == 0 {
		if header == nil {
			p.passthrough = true
		}
		for i, h := range header {
			if h == "" || p.special[h] {
				continue
			}
			if j := slices.Index(header[:i], h); j >= 0 {
				return nil, fmt.Errorf("%w: column %q appears twice in the header (columns %d and %d); rename one or use --map", ErrBadHeader, h, j+1, i+1)
			}
			if err := p.body.insert([]string{h}, &node{leaf: true, col: col(h), origin: "column " + h}); err != nil {
				return nil, err
			}
		}
	}
	p.body.sort()
	p.ctx.sort()
	return p, nil
}

// resolve maps each plan column to its index in the CSV header.
func (p *plan) resolve(header []string) ([]int, error) {
	idx := make([]int, len(p.columns))
	var unknown []string
	for i, c := range p.columns {
		at := -1
		for j, h := range header {
			if h != c {
				continue
			}
			if at >= 0 {
				return nil, fmt.Errorf("%w: column %q appears twice in the header (columns %d and %d); rename one", ErrBadHeader, c, at+1, j+1)
			}
			at = j
		}
		if at < 0 {
			unknown = append(unknown, c)
		}
		idx[i] = at
	}
	if len(unknown) == 0 {
		return idx, nil
	}
	var b strings.Builder
	for i, u := range unknown {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", u)
		for _, h := range header {
			if strings.EqualFold(h, u) {
				fmt.Fprintf(&b, " (did you mean %q?)", h)
				break
			}
		}
	}
	avail := make([]string, len(header))
	for i, h := range header {
		avail[i] = fmt.Sprintf("%q", h)
	}
	return nil, fmt.Errorf("%w: %s not in the header; the file has columns %s (names match exactly, after trimming spaces)",
		ErrUnknownColumn, b.String(), strings.Join(avail, ", "))
}
