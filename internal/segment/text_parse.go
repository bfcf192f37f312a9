package segment

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ParseText parses the compact text form, e.g.
//
//	performed "Order Completed" where revenue > 100 within 30d and not trait plan = "free"
//
// Syntax errors name the line and column; the result is validated exactly
// as the JSON form (errors then name the JSON node path).
func ParseText(src string) (*Definition, error) {
	if len(src) > MaxInputLen {
		return nil, invalid(rootPath, fmt.Sprintf("definition is %d bytes, more than the limit of %d", len(src), MaxInputLen), "split it into several segments joined with in_segment")
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &textParser{src: src, toks: toks}
	tree, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, fmt.Sprintf("unexpected %s after the end of the condition", describe(t)), "join conditions with and/or")
	}
	return FromTree(tree)
}

type textParser struct {
	src  string
	toks []token
	i    int
}

func (p *textParser) peek() token { return p.toks[p.i] }
func (p *textParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *textParser) errAt(t token, msg, hint string) error {
	return syntaxErr(p.src, t.pos, msg, hint)
}

func (p *textParser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tokIdent && t.text == w
}

func (p *textParser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *textParser) accept(w string) bool {
	if p.isWord(w) || p.isPunct(w) {
		p.i++
		return true
	}
	return false
}

func (p *textParser) expect(w string) error {
	if p.accept(w) {
		return nil
	}
	t := p.peek()
	return p.errAt(t, fmt.Sprintf("expected %q, found %s", w, describe(t)), "")
}

func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string " + quoteText(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *textParser) expr(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errAt(p.peek(), fmt.Sprintf("conditions nest deeper than %d levels", MaxDepth), "flatten nested groups or move a part into its own segment")
	}
	return p.binary(depth, "or", func() (any, error) {
		return p.binary(depth, "and", func() (any, error) { return p.unary(depth) })
	})
}

func (p *textParser) binary(depth int, word string, operand func() (any, error)) (any, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	if !p.isWord(word) {
		return first, nil
	}
	list := []any{first}
	for p.accept(word) {
		if len(list) >= MaxNodes {
			return nil, p.errAt(p.peek(), fmt.Sprintf("more than %d conditions", MaxNodes), "move a part into its own segment and use in_segment")
		}
		n, err := operand()
		if err != nil {
			return nil, err
		}
		list = append(list, n)
	}
	return map[string]any{word: list}, nil
}

func (p *textParser) unary(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errAt(p.peek(), fmt.Sprintf("conditions nest deeper than %d levels", MaxDepth), "flatten nested groups or move a part into its own segment")
	}
	if p.accept("not") {
		n, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return map[string]any{"not": n}, nil
	}
	if p.accept("(") {
		n, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	}
	return p.atom()
}

func (p *textParser) atom() (any, error) {
	t := p.next()
	if t.kind != tokIdent {
		return nil, p.errAt(t, fmt.Sprintf("expected a condition, found %s", describe(t)), "conditions start with one of: "+joinList(kinds[3:]))
	}
	body := map[string]any{}
	var err error
	switch Kind(t.text) {
	case KindEveryone:
		return map[string]any{"everyone": true}, nil
	case KindTrait:
		if body["path"], err = p.path(); err == nil {
			err = p.test(body)
		}
	case KindPerformed:
		err = p.performed(body)
	case KindFirstPerformed, KindLastPerformed:
		err = p.edge(body)
	case KindSequence:
		err = p.sequence(body)
	case KindAggregate:
		err = p.aggregate(body)
	case KindInSegment:
		err = p.inSegment(body)
	case KindMessage:
		err = p.message(body)
	case KindSubscription:
		if body["group"], err = p.str("subscription group"); err == nil {
			body["state"], err = p.word("state")
		}
	case KindRandomBucket:
		err = p.randomBucket(body)
	case KindChannel:
		err = p.channel(body)
	default:
		return nil, p.errAt(t, fmt.Sprintf("unknown condition %q", t.text), "conditions start with one of: "+joinList(kinds[3:]))
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{t.text: body}, nil
}

func (p *textParser) performed(body map[string]any) error {
	var err error
	if body["event"], err = p.str("event name"); err != nil {
		return err
	}
	if err := p.filters(body, "where"); err != nil {
		return err
	}
	if err := p.count(body); err != nil {
		return err
	}
	return p.window(body)
}

func (p *textParser) edge(body map[string]any) error {
	var err error
	if body["event"], err = p.str("event name"); err != nil {
		return err
	}
	if err := p.filters(body, "where"); err != nil {
		return err
	}
	if err := p.filters(body, "has"); err != nil {
		return err
	}
	if p.accept("time") {
		tm := map[string]any{}
		if err := p.test(tm); err != nil {
			return err
		}
		body["time"] = tm
	}
	return nil
}

func (p *textParser) sequence(body map[string]any) error {
	var steps []any
	for {
		st := map[string]any{}
		if len(steps) > 0 && p.accept("not") {
			st["not"] = true
		}
		var err error
		if st["event"], err = p.str("step event name"); err != nil {
			return err
		}
		if err := p.filters(st, "where"); err != nil {
			return err
		}
		steps = append(steps, st)
		if len(steps) > MaxSteps || !p.accept("then") {
			break
		}
	}
	body["steps"] = steps
	if p.accept("within") {
		d, err := p.duration()
		if err != nil {
			return err
		}
		body["within"] = d
	}
	return nil
}

func (p *textParser) aggregate(body map[string]any) error {
	fn, err := p.word("aggregate function")
	if err != nil {
		return err
	}
	body["fn"] = fn
	if !p.isWord("of") {
		if body["property"], err = p.path(); err != nil {
			return err
		}
	}
	if err := p.expect("of"); err != nil {
		return err
	}
	if body["event"], err = p.str("event name"); err != nil {
		return err
	}
	if err := p.filters(body, "where"); err != nil {
		return err
	}
	if err := p.window(body); err != nil {
		return err
	}
	return p.test(body)
}

func (p *textParser) inSegment(body map[string]any) error {
	m, err := p.word("match (any, all, none)")
	if err != nil {
		return err
	}
	body["match"] = m
	body["ids"], err = p.literal()
	return err
}

func (p *textParser) message(body map[string]any) error {
	var err error
	if body["event"], err = p.word("message event"); err != nil {
		return err
	}
	for _, k := range []string{"channel", "template", "journey"} {
		if p.accept(k) {
			if body[k], err = p.str(k); err != nil {
				return err
			}
		}
	}
	if err := p.count(body); err != nil {
		return err
	}
	return p.window(body)
}

func (p *textParser) randomBucket(body map[string]any) error {
	t := p.next()
	if t.kind != tokNumber {
		return p.errAt(t, "expected a percentage, found "+describe(t), "e.g. random_bucket 10 salt \"holdout\"")
	}
	body["percent"] = json.Number(t.text)
	if p.accept("salt") {
		var err error
		if body["salt"], err = p.str("salt"); err != nil {
			return err
		}
	}
	return nil
}

func (p *textParser) channel(body map[string]any) error {
	for _, k := range []string{"channels", "sources"} {
		if p.accept(k) {
			v, err := p.literal()
			if err != nil {
				return err
			}
			body[k] = v
		}
	}
	return p.window(body)
}

// filters reads "KEYWORD field test, field test, ..." when KEYWORD is next.
func (p *textParser) filters(body map[string]any, keyword string) error {
	if !p.accept(keyword) {
		return nil
	}
	var list []any
	for {
		f := map[string]any{}
		path, err := p.path()
		if err != nil {
			return err
		}
		if rest, ok := strings.CutPrefix(path, "context."); ok {
			f["context"] = rest
		} else {
			f["property"] = strings.TrimPrefix(path, "properties.")
		}
		if err := p.test(f); err != nil {
			return err
		}
		list = append(list, f)
		if len(list) > MaxListLen || !p.accept(",") {
			break
		}
	}
	body[keyword] = list
	return nil
}

func (p *textParser) count(body map[string]any) error {
	if !p.accept("count") {
		return nil
	}
	op, err := p.op()
	if err != nil {
		return err
	}
	t := p.next()
	if t.kind != tokNumber {
		return p.errAt(t, "expected a count, found "+describe(t), "e.g. count >= 2, or count = 0 for did not perform")
	}
	body["count"] = map[string]any{"op": op, "value": json.Number(t.text)}
	return nil
}

func (p *textParser) window(body map[string]any) error {
	w := map[string]any{}
	switch {
	case p.accept("within"):
		d, err := p.duration()
		if err != nil {
			return err
		}
		w["within"] = d
	case p.accept("from"):
		from, err := p.duration()
		if err != nil {
			return err
		}
		if err := p.expect("ago"); err != nil {
			return err
		}
		if err := p.expect("to"); err != nil {
			return err
		}
		to, err := p.duration()
		if err != nil {
			return err
		}
		if err := p.expect("ago"); err != nil {
			return err
		}
		w["from_ago"], w["to_ago"] = from, to
	default:
		for _, k := range []string{"after", "before"} {
			if p.accept(k) {
				s, err := p.str("timestamp")
				if err != nil {
					return err
				}
				w[k] = s
			}
		}
		if len(w) == 0 {
			return nil
		}
	}
	body["window"] = w
	return nil
}

// test reads an operator and its literal into m (op, value, tz).
func (p *textParser) test(m map[string]any) error {
	op, err := p.op()
	if err != nil {
		return err
	}
	m["op"] = op
	spec := opSpecs[Op(op)]
	switch {
	case Op(op) == OpBetween:
		lo, err := p.literal()
		if err != nil {
			return err
		}
		if err := p.expect("and"); err != nil {
			return err
		}
		hi, err := p.literal()
		if err != nil {
			return err
		}
		m["value"] = []any{lo, hi}
	case spec.operand != operandNone:
		if m["value"], err = p.literal(); err != nil {
			return err
		}
	}
	if Op(op) == OpDayOfYear && p.accept("tz") {
		if m["tz"], err = p.str("time zone"); err != nil {
			return err
		}
	}
	return nil
}

var symbolOps = map[string]Op{"=": OpEquals, "!=": OpNotEquals, ">": OpGt, ">=": OpGte, "<": OpLt, "<=": OpLte}

func (p *textParser) op() (string, error) {
	t := p.next()
	if t.kind == tokPunct {
		if op, ok := symbolOps[t.text]; ok {
			return string(op), nil
		}
	}
	if t.kind == tokIdent {
		if _, ok := opSpecs[Op(t.text)]; !ok {
			return "", p.errAt(t, fmt.Sprintf("unknown operator %q", t.text), "valid operators: =, !=, >, >=, <, <=, "+joinList(allOps[6:]))
		}
		return t.text, nil
	}
	return "", p.errAt(t, "expected an operator, found "+describe(t), "e.g. =, !=, >, >=, <, <=, in, contains, exists, within_last")
}

// literal reads a string, number, duration, boolean or [list].
func (p *textParser) literal() (any, error) { return p.literalIn(false) }

// literalIn reads a literal; inside a list, lists do not nest.
func (p *textParser) literalIn(inList bool) (any, error) {
	t := p.next()
	switch t.kind {
	case tokString, tokDuration:
		return t.text, nil
	case tokNumber:
		return json.Number(t.text), nil
	case tokIdent:
		switch t.text {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	case tokPunct:
		if t.text == "[" && !inList {
			list := []any{}
			if p.accept("]") {
				return list, nil
			}
			for {
				v, err := p.literalIn(true)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
				if len(list) > MaxListLen || !p.accept(",") {
					break
				}
			}
			return list, p.expect("]")
		}
	}
	return nil, p.errAt(t, "expected a value, found "+describe(t), `quote strings: "free"; numbers: 100; durations: 30d; lists: ["a","b"]`)
}

func (p *textParser) path() (string, error) {
	t := p.next()
	if t.kind == tokIdent || t.kind == tokString {
		return t.text, nil
	}
	return "", p.errAt(t, "expected a field path, found "+describe(t), `write a dotted path such as address.city, or quote it: "first name"`)
}

func (p *textParser) str(what string) (string, error) {
	t := p.next()
	if t.kind == tokString {
		return t.text, nil
	}
	return "", p.errAt(t, fmt.Sprintf("expected the %s as a quoted string, found %s", what, describe(t)), `e.g. "Order Completed"`)
}

func (p *textParser) word(what string) (string, error) {
	t := p.next()
	if t.kind == tokIdent {
		return t.text, nil
	}
	return "", p.errAt(t, fmt.Sprintf("expected the %s, found %s", what, describe(t)), "")
}

func (p *textParser) duration() (string, error) {
	t := p.next()
	if t.kind == tokDuration || t.kind == tokString {
		return t.text, nil
	}
	return "", p.errAt(t, "expected a duration, found "+describe(t), "e.g. 30d, 12h, 90m, 2w")
}
