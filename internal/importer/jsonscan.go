package importer

import (
	"bytes"
	"encoding/json"
	"slices"
)

// member is one top-level key of a JSON object and its raw value.
type member struct {
	key []byte // unescaped
	val []byte
}

// scanObject appends the top-level members of obj to out. obj must be a
// JSON object that json.Valid accepts: the scan trusts its structure and
// only guards against running off the end.
func scanObject(obj []byte, out []member) []member {
	i := skipSpace(obj, 1)
	for i < len(obj) && obj[i] == '"' {
		end := skipString(obj, i)
		key := obj[i+1 : max(end-1, i+1)]
		if bytes.IndexByte(key, '\\') >= 0 {
			var s string
			if json.Unmarshal(obj[i:end], &s) == nil {
				key = []byte(s)
			}
		}
		i = skipSpace(obj, end)
		i = skipSpace(obj, i+1) // the ':'
		vEnd := skipValue(obj, i)
		out = append(out, member{key: key, val: obj[i:min(vEnd, len(obj))]})
		i = skipSpace(obj, vEnd)
		if i < len(obj) && obj[i] == ',' {
			i = skipSpace(obj, i+1)
		}
	}
	return out
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// lookup returns the value of key; the last one wins, as with encoding/json.
func lookup(ms []member, key string) ([]byte, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if string(ms[i].key) == key {
			return ms[i].val, true
		}
	}
	return nil, false
}

// sortedUnique sorts members by key and keeps the last of duplicate keys,
// in place.
func sortedUnique(ms []member) []member {
	slices.SortStableFunc(ms, func(a, b member) int { return bytes.Compare(a.key, b.key) })
	out := ms[:0]
	for i, m := range ms {
		if i+1 < len(ms) && bytes.Equal(ms[i+1].key, m.key) {
			continue // a later duplicate wins
		}
		out = append(out, m)
	}
	return out
}

// jsonText returns a JSON string's contents, or a number's text; ok is
// false for anything else and for blank strings.
func jsonText(raw []byte) ([]byte, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	if raw[0] == '"' {
		t, ok, _ := cellText(cell{b: raw, json: true, ok: true})
		return t, ok && len(bytes.TrimSpace(t)) > 0
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
		return raw, true
	}
	return nil, false
}
