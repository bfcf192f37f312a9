package segment

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Text returns the compact text form of d. ParseText(d.Text()) equals d.
func (d *Definition) Text() string {
	if d == nil || d.Root == nil {
		return ""
	}
	var b strings.Builder
	printNode(&b, d.Root, false)
	return b.String()
}

// printNode writes n; grouped says n is an operand of and/or/not and must be
// parenthesized if it is itself a group.
func printNode(b *strings.Builder, n *Node, grouped bool) {
	switch n.Kind() {
	case KindAnd, KindOr:
		kids, word := n.And, " and "
		if n.Or != nil {
			kids, word = n.Or, " or "
		}
		if grouped {
			b.WriteByte('(')
		}
		for i, k := range kids {
			if i > 0 {
				b.WriteString(word)
			}
			printNode(b, k, true)
		}
		if grouped {
			b.WriteByte(')')
		}
	case KindNot:
		b.WriteString("not ")
		printNode(b, n.Not, true)
	case KindEveryone:
		b.WriteString("everyone")
	case KindTrait:
		b.WriteString("trait ")
		b.WriteString(pathText(n.Trait.Path))
		printTest(b, &n.Trait.Test)
	case KindPerformed:
		c := n.Performed
		b.WriteString("performed ")
		b.WriteString(quoteText(c.Event))
		printFilters(b, "where", c.Where)
		printCount(b, c.Count)
		printWindow(b, c.Window)
	case KindFirstPerformed, KindLastPerformed:
		c := n.FirstPerformed
		if c == nil {
			c = n.LastPerformed
		}
		b.WriteString(string(n.Kind()) + " ")
		b.WriteString(quoteText(c.Event))
		printFilters(b, "where", c.Where)
		printFilters(b, "has", c.Has)
		if c.Time != nil {
			b.WriteString(" time")
			printTest(b, c.Time)
		}
	case KindSequence:
		b.WriteString("sequence ")
		for i, s := range n.Sequence.Steps {
			if i > 0 {
				b.WriteString(" then ")
			}
			if s.Negate {
				b.WriteString("not ")
			}
			b.WriteString(quoteText(s.Event))
			printFilters(b, "where", s.Where)
		}
		if n.Sequence.Within > 0 {
			b.WriteString(" within " + n.Sequence.Within.String())
		}
	case KindAggregate:
		c := n.Aggregate
		b.WriteString("aggregate " + string(c.Fn))
		if c.Property != "" {
			b.WriteString(" " + pathText(c.Property))
		}
		b.WriteString(" of " + quoteText(c.Event))
		printFilters(b, "where", c.Where)
		printWindow(b, c.Window)
		printTest(b, &c.Test)
	case KindInSegment:
		b.WriteString("in_segment " + n.InSegment.Match + " ")
		printStrings(b, n.InSegment.IDs)
	case KindMessage:
		c := n.Message
		b.WriteString("message " + c.Event)
		for _, kv := range [][2]string{{"channel", c.Channel}, {"template", c.Template}, {"journey", c.Journey}} {
			if kv[1] != "" {
				b.WriteString(" " + kv[0] + " " + quoteText(kv[1]))
			}
		}
		printCount(b, c.Count)
		printWindow(b, c.Window)
	case KindSubscription:
		b.WriteString("subscription " + quoteText(n.Subscription.Group) + " " + n.Subscription.State)
	case KindRandomBucket:
		b.WriteString("random_bucket " + formatNumber(n.RandomBucket.Percent))
		if n.RandomBucket.Salt != "" {
			b.WriteString(" salt " + quoteText(n.RandomBucket.Salt))
		}
	case KindChannel:
		c := n.Channel
		b.WriteString("channel")
		if c.Channels != nil {
			b.WriteString(" channels ")
			printStrings(b, c.Channels)
		}
		if c.Sources != nil {
			b.WriteString(" sources ")
			printStrings(b, c.Sources)
		}
		printWindow(b, c.Window)
	}
}

var opSymbols = map[Op]string{OpEquals: "=", OpNotEquals: "!=", OpGt: ">", OpGte: ">=", OpLt: "<", OpLte: "<="}

func printTest(b *strings.Builder, t *Test) {
	b.WriteByte(' ')
	if s, ok := opSymbols[t.Op]; ok {
		b.WriteString(s)
	} else {
		b.WriteString(string(t.Op))
	}
	if t.Value != nil {
		b.WriteByte(' ')
		if t.Op == OpBetween {
			printValue(b, t.Value.List[0])
			b.WriteString(" and ")
			printValue(b, t.Value.List[1])
		} else {
			printValue(b, *t.Value)
		}
	}
	if t.TZ != "" {
		b.WriteString(" tz " + quoteText(t.TZ))
	}
}

func printValue(b *strings.Builder, v Value) {
	switch v.Kind {
	case ValueString:
		b.WriteString(quoteText(v.Str))
	case ValueNumber:
		b.WriteString(formatNumber(v.Num))
	case ValueBool:
		if v.Bool {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case ValueList:
		b.WriteByte('[')
		for i, x := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			printValue(b, x)
		}
		b.WriteByte(']')
	case ValueTime:
		b.WriteString(quoteText(v.Time.UTC().Format(time.RFC3339Nano)))
	case ValueDuration:
		b.WriteString(v.Dur.String())
	}
}

func printFilters(b *strings.Builder, keyword string, fs []Filter) {
	for i := range fs {
		if i == 0 {
			b.WriteString(" " + keyword + " ")
		} else {
			b.WriteString(", ")
		}
		f := &fs[i]
		if f.Context != "" {
			b.WriteString(pathText("context." + f.Context))
		} else if strings.HasPrefix(f.Property, "context.") || strings.HasPrefix(f.Property, "properties.") {
			b.WriteString(pathText("properties." + f.Property))
		} else {
			b.WriteString(pathText(f.Property))
		}
		printTest(b, &f.Test)
	}
}

func printCount(b *strings.Builder, c *Count) {
	if c == nil {
		return
	}
	b.WriteString(" count ")
	if s, ok := opSymbols[c.Op]; ok {
		b.WriteString(s)
	} else {
		b.WriteString(string(c.Op))
	}
	b.WriteString(" " + formatNumber(float64(c.Value)))
}

func printWindow(b *strings.Builder, w *Window) {
	switch {
	case w == nil:
	case w.Within > 0:
		b.WriteString(" within " + w.Within.String())
	case w.FromAgo > 0:
		b.WriteString(" from " + w.FromAgo.String() + " ago to " + w.ToAgo.String() + " ago")
	default:
		if w.After != nil {
			b.WriteString(" after " + quoteText(w.After.UTC().Format(time.RFC3339Nano)))
		}
		if w.Before != nil {
			b.WriteString(" before " + quoteText(w.Before.UTC().Format(time.RFC3339Nano)))
		}
	}
}

func printStrings(b *strings.Builder, list []string) {
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteText(s))
	}
	b.WriteByte(']')
}

// pathText writes a path bare when it lexes as one identifier and is not
// the keyword "of" (which ends an aggregate's property), else quoted.
func pathText(p string) string {
	if isIdent(p) && p != "of" {
		return p
	}
	return quoteText(p)
}

// quoteText writes s as a JSON string without HTML escaping.
func quoteText(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) //nolint:errcheck // strings always encode
	return strings.TrimSuffix(buf.String(), "\n")
}
