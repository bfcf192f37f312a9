package segment

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
)

// object checks that v is an object with only the allowed keys.
func object(path string, v any, allowed ...string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(path, "must be an object, got "+typeName(v), "fields: "+strings.Join(allowed, ", "))
	}
	var unknown []string
	for k := range m {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown) // report the same one every time
		return nil, invalid(path+"."+unknown[0], "unknown field", "valid fields: "+strings.Join(allowed, ", "))
	}
	return m, nil
}

func requiredString(path string, m map[string]any, key string) (string, error) {
	v, ok := m[key]
	if !ok {
		return "", invalid(path+"."+key, "missing", "add a non-empty string")
	}
	return checkString(path+"."+key, v)
}

func checkString(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", invalid(path, "must be a string, got "+typeName(v), "quote it")
	}
	if s == "" {
		return "", invalid(path, "must not be empty", "")
	}
	if len(s) > MaxStringLen {
		return "", invalid(path, fmt.Sprintf("is %d bytes, longer than the limit of %d", len(s), MaxStringLen), "")
	}
	return s, nil
}

func stringList(path string, m map[string]any, key string, required bool) ([]string, error) {
	v, ok := m[key]
	if !ok {
		if required {
			return nil, invalid(path+"."+key, "missing", "give a list of strings")
		}
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 || len(list) > MaxListLen {
		return nil, invalid(path+"."+key, fmt.Sprintf("must be a list of 1 to %d strings", MaxListLen), `write e.g. ["a","b"]`)
	}
	out := make([]string, len(list))
	for i, x := range list {
		s, err := checkString(path+"."+key+"["+strconv.Itoa(i)+"]", x)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func decodeFilters(path string, m map[string]any, key string) ([]Filter, error) {
	v, ok := m[key]
	if !ok {
		return nil, nil
	}
	p := path + "." + key
	list, ok := v.([]any)
	if !ok || len(list) > MaxListLen {
		return nil, invalid(p, fmt.Sprintf("must be a list of at most %d filters", MaxListLen), `write e.g. [{"property":"revenue","op":"gt","value":100}]`)
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]Filter, len(list))
	for i, x := range list {
		fp := p + "[" + strconv.Itoa(i) + "]"
		fm, err := object(fp, x, "property", "context", "op", "value", "tz")
		if err != nil {
			return nil, err
		}
		_, hasP := fm["property"]
		_, hasC := fm["context"]
		f := Filter{}
		switch {
		case hasP && hasC:
			return nil, invalid(fp, "has both property and context", "a filter tests one field: keep one")
		case hasP:
			f.Property, err = requiredString(fp, fm, "property")
		case hasC:
			f.Context, err = requiredString(fp, fm, "context")
		default:
			return nil, invalid(fp+".property", "missing", `name the event property to test, or use "context" for a context field`)
		}
		if err != nil {
			return nil, err
		}
		if f.Test, err = decodeTest(fp, fm, allOps, "any operator"); err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

func decodeCount(path string, m map[string]any) (*Count, error) {
	v, ok := m["count"]
	if !ok {
		return nil, nil
	}
	p := path + ".count"
	cm, err := object(p, v, "op", "value")
	if err != nil {
		return nil, err
	}
	op, err := requiredString(p, cm, "op")
	if err != nil {
		return nil, err
	}
	if !contains(countOps, Op(op)) {
		return nil, invalid(p+".op", fmt.Sprintf("unknown count operator %q", op), "valid operators: "+joinList(countOps))
	}
	nv, ok := cm["value"]
	if !ok {
		return nil, invalid(p+".value", "missing", "give a whole number ≥ 0; equals 0 means did not perform")
	}
	f, ok := number(nv)
	if !ok || f < 0 || f != math.Trunc(f) || f > 1e9 {
		return nil, invalid(p+".value", "must be a whole number from 0 to 1000000000", "equals 0 means did not perform")
	}
	c := &Count{Op: Op(op), Value: int64(f)}
	if c.Op == OpGte && c.Value == 1 {
		return nil, nil // the default
	}
	return c, nil
}

func decodeWindow(path string, m map[string]any) (*Window, error) {
	v, ok := m["window"]
	if !ok {
		return nil, nil
	}
	p := path + ".window"
	wm, err := object(p, v, "within", "from_ago", "to_ago", "after", "before")
	if err != nil {
		return nil, err
	}
	const forms = `one of {"within":"30d"}, {"from_ago":"30d","to_ago":"7d"} or {"after":"2026-01-01T00:00:00Z","before":"2026-02-01T00:00:00Z"}`
	w := &Window{}
	_, within := wm["within"]
	_, from := wm["from_ago"]
	_, to := wm["to_ago"]
	_, after := wm["after"]
	_, before := wm["before"]
	switch {
	case within && !from && !to && !after && !before:
		w.Within, err = decodeDuration(p+".within", wm["within"])
		return w, err
	case from && !within && !after && !before:
		if w.FromAgo, err = decodeDuration(p+".from_ago", wm["from_ago"]); err != nil {
			return nil, err
		}
		if !to {
			return &Window{Within: w.FromAgo}, nil
		}
		if w.ToAgo, err = decodeDuration(p+".to_ago", wm["to_ago"]); err != nil {
			return nil, err
		}
		if w.ToAgo >= w.FromAgo {
			return nil, invalid(p, fmt.Sprintf("window from %s ago to %s ago has zero or negative length", w.FromAgo, w.ToAgo), "from_ago must be further back than to_ago")
		}
		return w, nil
	case (after || before) && !within && !from && !to:
		if after {
			t, err := decodeTime(p+".after", wm["after"])
			if err != nil {
				return nil, err
			}
			w.After = &t
		}
		if before {
			t, err := decodeTime(p+".before", wm["before"])
			if err != nil {
				return nil, err
			}
			w.Before = &t
		}
		if w.After != nil && w.Before != nil && !w.After.Before(*w.Before) {
			return nil, invalid(p, "window has zero or negative length", "after must be earlier than before")
		}
		return w, nil
	case to && !from:
		return nil, invalid(p+".from_ago", "missing: to_ago needs from_ago", forms)
	}
	return nil, invalid(p, "must use exactly one window form", forms)
}

func decodeDuration(path string, v any) (Duration, error) {
	s, ok := v.(string)
	if !ok {
		return 0, invalid(path, "must be a duration string, got "+typeName(v), `e.g. "30d", "12h", "90m", "2w"`)
	}
	d, err := ParseDuration(s)
	if err != nil {
		return 0, invalid(path, err.Error(), `e.g. "30d", "12h", "90m", "2w"`)
	}
	return d, nil
}

func decodeTime(path string, v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, invalid(path, "must be a timestamp string, got "+typeName(v), `e.g. "2026-01-31T00:00:00Z" or "2026-01-31"`)
	}
	t, ok := parseLiteralTime(s)
	if !ok {
		return time.Time{}, invalid(path, fmt.Sprintf("%q is not an RFC 3339 timestamp or a YYYY-MM-DD date", s), `e.g. "2026-01-31T00:00:00Z"`)
	}
	return t, nil
}

// parseLiteralTime reads an RFC 3339 timestamp or a date (midnight UTC).
func parseLiteralTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return time.Time{}, false
		}
	}
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 { // printable as RFC 3339 again
		return time.Time{}, false
	}
	return t, true
}

// decodeTest reads op, value and tz from m and checks the literal against the operator.
func decodeTest(path string, m map[string]any, allowed []Op, what string) (Test, error) {
	t := Test{}
	opS, err := requiredString(path, m, "op")
	if err != nil {
		return t, err
	}
	t.Op = Op(opS)
	spec, known := opSpecs[t.Op]
	if !known {
		return t, invalid(path+".op", fmt.Sprintf("unknown operator %q", opS), "valid operators: "+joinList(allowed))
	}
	if !contains(allowed, t.Op) {
		return t, invalid(path+".op", fmt.Sprintf("operator %q is not allowed here (%s only)", opS, what), "valid operators: "+joinList(allowed))
	}
	if tz, ok := m["tz"]; ok {
		if t.Op != OpDayOfYear {
			return t, invalid(path+".tz", "only day_of_year takes a time zone", `remove "tz"`)
		}
		if t.TZ, err = checkString(path+".tz", tz); err != nil {
			return t, err
		}
		if t.loc, err = time.LoadLocation(t.TZ); err != nil || t.TZ == "Local" {
			return t, invalid(path+".tz", fmt.Sprintf("unknown time zone %q", t.TZ), `use an IANA name such as "Europe/Paris" or "UTC"`)
		}
	}
	v, has := m["value"]
	if spec.operand == operandNone {
		if has {
			return t, invalid(path+".value", fmt.Sprintf("operator %s takes no value", t.Op), `remove "value"`)
		}
		return t, nil
	}
	if !has {
		return t, invalid(path+".value", "missing", valueHint(t.Op, spec.operand))
	}
	lit, err := decodeLiteral(path+".value", t.Op, spec.operand, v)
	if err != nil {
		return t, err
	}
	t.Value = &lit
	return t, nil
}

func valueHint(op Op, o operand) string {
	switch o {
	case operandNumber:
		return fmt.Sprintf("%s compares numbers: give a number literal; for dates use before/after, for text use equals", op)
	case operandString:
		return fmt.Sprintf("%s needs a string literal", op)
	case operandRegex:
		return `matches needs a regular expression string, e.g. "^VIP-"`
	case operandList:
		return fmt.Sprintf("%s needs a non-empty list of strings, numbers or booleans, e.g. [\"a\",\"b\"]", op)
	case operandRange:
		return "between needs [low, high] numbers, e.g. [10, 20]"
	case operandTime:
		return `give an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"`
	case operandDuration:
		return `give a duration such as "30d", "12h", "90m" or "2w"`
	}
	return "give a string, number or boolean; for a missing value use exists/not_exists"
}

func decodeLiteral(path string, op Op, o operand, v any) (Value, error) {
	bad := func(msg string) (Value, error) { return Value{}, invalid(path, msg, valueHint(op, o)) }
	switch o {
	case operandScalar:
		return scalar(path, op, v)
	case operandNumber:
		f, ok := number(v)
		if !ok {
			return bad(fmt.Sprintf("type mismatch: %s compares numbers but the value is %s", op, typeName(v)))
		}
		return Value{Kind: ValueNumber, Num: f}, nil
	case operandString:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("type mismatch: %s needs a string but the value is %s", op, typeName(v)))
		}
		if len(s) > MaxStringLen {
			return bad(fmt.Sprintf("string is longer than %d bytes", MaxStringLen))
		}
		return Value{Kind: ValueString, Str: s}, nil
	case operandRegex:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("type mismatch: matches needs a pattern string but the value is %s", typeName(v)))
		}
		re, err := checkRegex(path, s)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: ValueString, Str: s, re: re}, nil
	case operandList:
		list, ok := v.([]any)
		if !ok || len(list) == 0 || len(list) > MaxListLen {
			return bad(fmt.Sprintf("must be a list of 1 to %d values", MaxListLen))
		}
		out := make([]Value, len(list))
		for i, x := range list {
			s, err := scalar(path+"["+strconv.Itoa(i)+"]", op, x)
			if err != nil {
				return Value{}, err
			}
			out[i] = s
		}
		return Value{Kind: ValueList, List: out}, nil
	case operandRange:
		list, ok := v.([]any)
		if !ok || len(list) != 2 {
			return bad("must be a list of two numbers [low, high]")
		}
		lo, ok1 := number(list[0])
		hi, ok2 := number(list[1])
		if !ok1 || !ok2 {
			return bad("type mismatch: between compares numbers")
		}
		if lo > hi {
			return bad(fmt.Sprintf("low %s is greater than high %s", formatNumber(lo), formatNumber(hi)))
		}
		return Value{Kind: ValueList, List: []Value{{Kind: ValueNumber, Num: lo}, {Kind: ValueNumber, Num: hi}}}, nil
	case operandTime:
		t, err := decodeTime(path, v)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: ValueTime, Time: t}, nil
	case operandDuration:
		d, err := decodeDuration(path, v)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: ValueDuration, Dur: d}, nil
	}
	return bad("unsupported operator")
}

func scalar(path string, op Op, v any) (Value, error) {
	switch x := v.(type) {
	case string:
		if len(x) > MaxStringLen {
			return Value{}, invalid(path, fmt.Sprintf("string is longer than %d bytes", MaxStringLen), "")
		}
		return Value{Kind: ValueString, Str: x}, nil
	case bool:
		return Value{Kind: ValueBool, Bool: x}, nil
	}
	if f, ok := number(v); ok {
		return Value{Kind: ValueNumber, Num: f}, nil
	}
	if v == nil {
		return Value{}, invalid(path, "null is not a value to compare with", "to test a missing value use op exists or not_exists")
	}
	return Value{}, invalid(path, fmt.Sprintf("type mismatch: %s needs a string, number or boolean, got %s", op, typeName(v)), valueHint(op, operandScalar))
}

// number reads a finite JSON number.
func number(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// checkRegex bounds a pattern: RE2 is linear in the input, but long
// patterns and nested repetition still cost memory and time per match.
func checkRegex(path, pattern string) (*regexp.Regexp, error) {
	if len(pattern) > MaxRegexLen {
		return nil, invalid(path, fmt.Sprintf("pattern is %d bytes, longer than the limit of %d", len(pattern), MaxRegexLen), "use starts_with, ends_with, contains or in, or a shorter pattern")
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, invalid(path, "invalid regular expression: "+err.Error(), "RE2 syntax: https://github.com/google/re2/wiki/Syntax")
	}
	if nestedRepeat(re, false) {
		return nil, invalid(path, "nested quantifiers such as (a+)* are not allowed", "remove the inner or outer repetition")
	}
	compiled, err := regexp.Compile(pattern)
	if err != nil {
		return nil, invalid(path, "invalid regular expression: "+err.Error(), "RE2 syntax: https://github.com/google/re2/wiki/Syntax")
	}
	return compiled, nil
}

func nestedRepeat(re *syntax.Regexp, inside bool) bool {
	rep := re.Op == syntax.OpStar || re.Op == syntax.OpPlus || (re.Op == syntax.OpRepeat && (re.Max == -1 || re.Max > 1))
	if rep && inside {
		return true
	}
	for _, s := range re.Sub {
		if nestedRepeat(s, inside || rep) {
			return true
		}
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int, int64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
