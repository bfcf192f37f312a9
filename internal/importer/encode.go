package importer

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// plainASCII[c] is true for the ASCII bytes a JSON string holds unescaped.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string literal. Control characters are
// escaped and invalid UTF-8 becomes U+FFFD, as encoding/json does, so the
// result is always valid JSON.
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// cell is one column's value in the current row.
type cell struct {
	b    []byte // CSV: the field text; JSONL: the raw JSON value
	json bool
	ok   bool // present: CSV non-empty, JSONL key present
}

// text returns a cell as plain text: CSV fields as they are, JSON strings
// unquoted, numbers and booleans as written. ok is false for empty and null
// values; bad is set for JSON objects and arrays.
func cellText(c cell) (text []byte, ok bool, bad string) {
	if !c.ok {
		return nil, false, ""
	}
	if !c.json {
		return c.b, true, ""
	}
	switch c.b[0] {
	case '"':
		inner := c.b[1 : len(c.b)-1]
		if bytes.IndexByte(inner, '\\') < 0 {
			return inner, len(inner) > 0, ""
		}
		var s string
		if err := json.Unmarshal(c.b, &s); err != nil {
			return nil, false, "holds an invalid JSON string"
		}
		return []byte(s), s != "", ""
	case 'n':
		return nil, false, ""
	case '{':
		return nil, false, "holds a JSON object; expected a string or a number"
	case '[':
		return nil, false, "holds a JSON array; expected a string or a number"
	}
	return c.b, true, ""
}

// appendCompact appends a JSON value without insignificant whitespace, so
// that the same value always hashes the same.
func appendCompact(b, v []byte, scratch *bytes.Buffer) []byte {
	if bytes.IndexAny(v, " \t\r\n") < 0 {
		return append(b, v...)
	}
	scratch.Reset()
	if err := json.Compact(scratch, v); err != nil {
		return append(b, v...) // values come from a successful Unmarshal; not reached
	}
	return append(b, scratch.Bytes()...)
}

// appendTyped converts text to typ and appends it; reason explains a failure.
func appendTyped(b, text []byte, typ valueType) ([]byte, string) {
	t := bytes.TrimSpace(text)
	switch typ {
	case typeInt:
		if n, ok := parseInt(t); ok {
			return strconv.AppendInt(b, n, 10), ""
		}
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return strconv.AppendInt(b, n, 10), ""
		}
		if f, err := strconv.ParseFloat(string(t), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.AppendInt(b, int64(f), 10), ""
		}
		return b, "is not an integer"
	case typeFloat:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return b, "is not a number"
		}
		return strconv.AppendFloat(b, f, 'g', -1, 64), ""
	case typeBool:
		switch {
		case oneOf(t, "true", "t", "yes", "y", "1"):
			return append(b, "true"...), ""
		case oneOf(t, "false", "f", "no", "n", "0"):
			return append(b, "false"...), ""
		}
		return b, "is not a boolean (true/false, yes/no, 1/0)"
	}
	return appendJSONString(b, text), ""
}

func oneOf(t []byte, words ...string) bool {
	for _, w := range words {
		if len(t) == len(w) && bytes.EqualFold(t, []byte(w)) {
			return true
		}
	}
	return false
}

// parseInt parses an optionally signed decimal integer without allocating.
func parseInt(t []byte) (int64, bool) {
	neg := false
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if len(t) == 0 || len(t) > 18 { // 18 digits cannot overflow int64
		return 0, false
	}
	var n int64
	for _, c := range t {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
