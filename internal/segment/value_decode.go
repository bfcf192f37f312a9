package segment

import (
	"encoding/json"
	"strconv"
)

// DecodeValue decodes a stored JSON value (a trait) as json.Unmarshal into
// an any does. Most trait values are scalars — "gold", 42, true — and
// those are decoded here without encoding/json's scanner and reflection: a
// backfill decodes a trait of every profile it reads.
func DecodeValue(raw []byte) (any, error) {
	if v, ok := jsonScalar(raw); ok {
		return v, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// jsonScalar decodes the compact JSON scalars it can be sure of: strings of
// printable ASCII without escapes, true, false, null and numbers. False
// for anything else (the caller falls back to encoding/json).
func jsonScalar(b []byte) (any, bool) {
	if len(b) == 0 {
		return nil, false
	}
	switch c := b[0]; {
	case c == '"':
		if len(b) < 2 || b[len(b)-1] != '"' {
			return nil, false
		}
		s := b[1 : len(b)-1]
		for _, x := range s {
			if x < 0x20 || x >= 0x7f || x == '"' || x == '\\' {
				return nil, false
			}
		}
		return string(s), true
	case string(b) == "true":
		return true, true
	case string(b) == "false":
		return false, true
	case string(b) == "null":
		return nil, true
	case c == '-' || c >= '0' && c <= '9':
		if !jsonNumber(b) {
			return nil, false
		}
		f, err := strconv.ParseFloat(string(b), 64) // what encoding/json uses for a number into an any
		return f, err == nil
	}
	return nil, false
}

// jsonNumber reports whether b is exactly a JSON number:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(b []byte) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
