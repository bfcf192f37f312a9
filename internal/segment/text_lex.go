package segment

import (
	"encoding/json"
	"fmt"
	"strings"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokDuration
	tokPunct
)

type token struct {
	kind tokKind
	text string // ident, punct, number or duration text; decoded string
	pos  int    // byte offset
}

// lex splits the text form into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, syntaxErr(src, i, "unterminated string", `close it with "`)
			}
			var s string
			if err := json.Unmarshal([]byte(src[i:j+1]), &s); err != nil {
				return nil, syntaxErr(src, i, "invalid string literal", `use JSON escapes such as \" and \n`)
			}
			toks = append(toks, token{tokString, s, i})
			i = j + 1
		case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
			j := i + 1
			for j < len(src) && (isDigit(src[j]) || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				((src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			kind := tokNumber
			if j < len(src) && isLetter(src[j]) && !(src[j-1] == 'e' || src[j-1] == 'E') {
				kind = tokDuration
				for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '.') {
					j++
				}
			}
			if kind == tokNumber && !json.Valid([]byte(src[i:j])) {
				return nil, syntaxErr(src, i, fmt.Sprintf("invalid number %q", src[i:j]), "write numbers as in JSON: 100, -2.5, 1e6")
			}
			toks = append(toks, token{kind, src[i:j], i})
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{tokIdent, src[i:j], i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			if two == "!=" || two == ">=" || two == "<=" {
				toks = append(toks, token{tokPunct, two, i})
				i += 2
				continue
			}
			if strings.IndexByte("=<>()[],", c) >= 0 {
				toks = append(toks, token{tokPunct, string(c), i})
				i++
				continue
			}
			return nil, syntaxErr(src, i, fmt.Sprintf("unexpected character %q", rune(c)), "quote names with spaces or symbols")
		}
	}
	return append(toks, token{tokEOF, "", len(src)}), nil
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isLetter(c byte) bool     { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isIdentStart(c byte) bool { return isLetter(c) || c == '_' || c == '$' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '.' || c == '-' }

// isIdent reports whether s can be written without quotes.
func isIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}

// syntaxErr reports a text-form error at a line and column.
func syntaxErr(src string, pos int, msg, hint string) error {
	line, col := 1, 1
	for i := 0; i < pos && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return invalid(fmt.Sprintf("text %d:%d", line, col), msg, hint)
}
