package event

import (
	"encoding/json"
	"fmt"
)

// maxDepth is the nesting limit, the same as encoding/json's.
const maxDepth = 10000

// scanner validates and walks JSON in one pass without decoding it. It
// accepts exactly what json.Valid accepts (the differential fuzz test checks
// this) and reports spans, so values are copied verbatim into Raw.
type scanner struct {
	b     []byte
	stack []byte // open containers of the value being skipped: '{' or '['
	// badUnicode is set when a string holds a \u0000 escape or an unpaired
	// UTF-16 surrogate escape: valid JSON that PostgreSQL's jsonb refuses.
	badUnicode bool
}

// field is one member of an object: the key's bytes inside the quotes and
// the value's span. name is the decoded key when the key has escapes.
type field struct {
	ks, ke int // key bytes b[ks:ke], without the quotes
	vs, ve int // value span b[vs:ve]
	esc    bool
	drop   bool // left out of Raw (the parser writes it itself)
	name   string
}

// syntaxError builds the error for malformed JSON at offset i.
func (s *scanner) syntaxError(i int, what string) error {
	if i >= len(s.b) {
		return fmt.Errorf("%w: unexpected end of JSON input (%s)", ErrMalformedBody, what)
	}
	return fmt.Errorf("%w: invalid character %q at byte %d (%s)", ErrMalformedBody, rune(s.b[i]), i, what)
}

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value validates the JSON value starting at b[i] (whitespace allowed before
// it) and returns the offsets of its first byte and of the byte after it.
func (s *scanner) value(i int) (start, end int, err error) {
	b := s.b
	stack := s.stack[:0]
	i = skipWS(b, i)
	start = i
	for {
		// A value is expected at i.
		i = skipWS(b, i)
		if i >= len(b) {
			return 0, 0, s.syntaxError(i, "expected a value")
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return 0, 0, fmt.Errorf("%w: nesting deeper than %d at byte %d", ErrMalformedBody, maxDepth, i)
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			i = skipWS(b, i+1)
			if i < len(b) && b[i] == closer {
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i, err = s.objectKey(i); err != nil {
					return 0, 0, err
				}
			}
			continue
		case c == '"':
			if i, err = s.str(i); err != nil {
				return 0, 0, err
			}
		case c == '-' || (c >= '0' && c <= '9'):
			if i, err = s.number(i); err != nil {
				return 0, 0, err
			}
		case c == 't':
			if i, err = s.literal(i, "true"); err != nil {
				return 0, 0, err
			}
		case c == 'f':
			if i, err = s.literal(i, "false"); err != nil {
				return 0, 0, err
			}
		case c == 'n':
			if i, err = s.literal(i, "null"); err != nil {
				return 0, 0, err
			}
		default:
			return 0, 0, s.syntaxError(i, "expected a value")
		}
		// A value ended at i: close containers or move to the next member.
		for {
			if len(stack) == 0 {
				s.stack = stack
				return start, i, nil
			}
			i = skipWS(b, i)
			if i >= len(b) {
				return 0, 0, s.syntaxError(i, "unclosed object or array")
			}
			top := stack[len(stack)-1]
			if b[i] == ',' {
				i++
				if top == '{' {
					if i, err = s.objectKey(skipWS(b, i)); err != nil {
						return 0, 0, err
					}
				}
				break
			}
			if (top == '{' && b[i] == '}') || (top == '[' && b[i] == ']') {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			return 0, 0, s.syntaxError(i, "expected ',' or a closing bracket")
		}
	}
}

// objectKey scans `"key" :` at b[i] and returns the offset after the colon.
func (s *scanner) objectKey(i int) (int, error) {
	if i >= len(s.b) || s.b[i] != '"' {
		return 0, s.syntaxError(i, "expected a string key")
	}
	i, err := s.str(i)
	if err != nil {
		return 0, err
	}
	i = skipWS(s.b, i)
	if i >= len(s.b) || s.b[i] != ':' {
		return 0, s.syntaxError(i, "expected ':' after a key")
	}
	return i + 1, nil
}

// object walks the object at b[i] (whitespace allowed before it), appending
// its members to dst, and returns the offset after the closing brace.
func (s *scanner) object(i int, dst []field) ([]field, int, error) {
	b := s.b
	i = skipWS(b, i)
	if i >= len(b) || b[i] != '{' {
		return dst, 0, s.syntaxError(i, "expected an object")
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return dst, i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return dst, 0, s.syntaxError(i, "expected a string key")
		}
		ks := i + 1
		end, esc, err := s.strEsc(i)
		if err != nil {
			return dst, 0, err
		}
		f := field{ks: ks, ke: end - 1, esc: esc}
		if esc {
			if f.name, err = decodeKey(b[i:end]); err != nil {
				return dst, 0, fmt.Errorf("%w: key at byte %d: %w", ErrMalformedBody, i, err)
			}
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return dst, 0, s.syntaxError(i, "expected ':' after a key")
		}
		if f.vs, f.ve, err = s.value(i + 1); err != nil {
			return dst, 0, err
		}
		dst = append(dst, f)
		i = skipWS(b, f.ve)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return dst, i + 1, nil
		}
		return dst, 0, s.syntaxError(i, "expected ',' or '}'")
	}
}

// decodeKey decodes a quoted key with escapes. It is kept apart so that the
// caller's field does not escape to the heap.
func decodeKey(quoted []byte) (string, error) {
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err
}

// key returns the member's decoded key. It allocates only for escaped keys
// and must be used in comparisons (string(b) == "x" does not allocate).
func (s *scanner) key(f *field) []byte {
	if f.esc {
		return []byte(f.name)
	}
	return s.b[f.ks:f.ke]
}

func (s *scanner) str(i int) (int, error) {
	end, _, err := s.strEsc(i)
	return end, err
}

// strEsc scans the string at b[i] (an opening quote) and returns the offset
// after the closing quote and whether it holds escapes.
func (s *scanner) strEsc(i int) (end int, esc bool, err error) {
	b := s.b
	i++
	for i < len(b) {
		for i < len(b) && plainStringByte[b[i]] { // most bytes: skip them at one table look-up each
			i++
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			if i+1 >= len(b) {
				return 0, false, s.syntaxError(i+1, "unfinished escape")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, ok := hex4(b, i+2)
				if !ok {
					return 0, false, s.syntaxError(i+1, "bad \\u escape")
				}
				i += 6
				switch {
				case r == 0:
					s.badUnicode = true
				case r >= 0xD800 && r < 0xDC00:
					// A high surrogate must be followed by a low one.
					if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if lo, ok := hex4(b, i+2); ok && lo >= 0xDC00 && lo < 0xE000 {
							i += 6
							continue
						}
					}
					s.badUnicode = true
				case r >= 0xDC00 && r < 0xE000:
					s.badUnicode = true
				}
			default:
				return 0, false, s.syntaxError(i+1, "bad escape")
			}
		case c < 0x20:
			return 0, false, s.syntaxError(i, "control character in string")
		default:
			i++
		}
	}
	return 0, false, s.syntaxError(i, "unterminated string")
}

// plainStringByte marks the bytes a JSON string holds without a second
// look: all but the quote, the backslash and control characters.
var plainStringByte = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at b[i].
func (s *scanner) number(i int) (int, error) {
	b := s.b
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return 0, s.syntaxError(i, "bad number")
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return 0, s.syntaxError(j, "bad number fraction")
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return 0, s.syntaxError(j, "bad number exponent")
		}
		i = j
	}
	return i, nil
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func (s *scanner) literal(i int, lit string) (int, error) {
	if len(s.b)-i < len(lit) || string(s.b[i:i+len(lit)]) != lit {
		return 0, s.syntaxError(i, "expected "+lit)
	}
	return i + len(lit), nil
}
