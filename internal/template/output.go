package template

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// safeText is trusted markup: the safe filter's result and a capture block's
// content. No output mode escapes it.
type safeText string

// jsonText is the json filter's result: raw in a webhook body, escaped in HTML.
type jsonText string

// htmlText is already HTML-escaped markup (the escape, escape_once and
// newline_to_br filters): raw in HTML, JSON-escaped in a webhook body.
type htmlText string

// undefinedError is raised by a filter handed a missing or nil value.
type undefinedError struct {
	path   string // the missing variable; "" for a plain nil
	filter string // the filter that refused it; "" for output
	expr   int    // index of the {{ }} in the part's expression table; -1 if unknown
}

func (e *undefinedError) Error() string {
	if e.path != "" {
		return "undefined variable " + e.path
	}
	return "undefined value"
}

// Names of Cairn's internal filters, inserted by the source rewriter.
const (
	filterOutText = "cairn_out_text"
	filterOutHTML = "cairn_out_html"
	filterOutJSON = "cairn_out_json"
	filterTruthy  = "cairn_truthy"
	filterTick    = "cairn_tick"
	tagCapture    = "cairn_capture"
	// budgetVar holds a render's *budget. Authors cannot shadow it by
	// accident; if they assign it on purpose the next loop fails.
	budgetVar = "cairn_budget"
)

var outFilterNames = map[outputMode]string{modeText: filterOutText, modeHTML: filterOutHTML, modeJSON: filterOutJSON}

// outputFilter returns the filter that ends every {{ }} of a part in mode m:
// it refuses missing and nil values and escapes for the part's context.
func outputFilter(m outputMode) func(v any, expr int) (string, error) {
	return func(v any, expr int) (string, error) {
		switch t := v.(type) {
		case missing:
			return "", &undefinedError{path: t.path, expr: expr}
		case nil:
			return "", &undefinedError{expr: expr}
		case safeText:
			return string(t), nil
		case jsonText:
			if m == modeHTML {
				return html.EscapeString(string(t)), nil
			}
			return string(t), nil
		case htmlText:
			if m == modeJSON {
				return jsonEscape(string(t)), nil
			}
			return string(t), nil
		}
		s := liquidString(v)
		if len(s) > MaxOutputSize {
			return "", fmt.Errorf("%w: output of %d bytes; the limit is %d", ErrLimitExceeded, len(s), MaxOutputSize)
		}
		switch m {
		case modeHTML:
			return html.EscapeString(s), nil
		case modeJSON:
			return jsonEscape(s), nil
		}
		return s, nil
	}
}

// truthy is Liquid truthiness with missing values false.
func truthy(v any) bool {
	switch t := v.(type) {
	case nil, missing:
		return false
	case bool:
		return t
	}
	return true
}

// defaultFilter returns fallback when value is missing, nil, false or empty.
// A missing fallback stays missing, so it fails at output naming its path.
func defaultFilter(value, fallback any) any {
	if isEmptyValue(value) {
		return fallback
	}
	return value
}

func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case nil, missing:
		return true
	case bool:
		return !t
	case string:
		return t == ""
	case safeText:
		return t == ""
	case htmlText:
		return t == ""
	case *strictMap:
		return len(t.m) == 0
	case *strictArray:
		return len(t.a) == 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Array, reflect.String:
		return rv.Len() == 0
	}
	return false
}

func safeFilter(v any) safeText { return safeText(liquidString(v)) }

func escapeFilter(s string) htmlText { return htmlText(html.EscapeString(s)) }

func escapeOnceFilter(s string) htmlText {
	return htmlText(html.EscapeString(html.UnescapeString(s)))
}

// newlineToBRFilter escapes its input (unless it is already markup) and turns
// line breaks into <br />, so it is safe to print in HTML.
func newlineToBRFilter(v any) htmlText {
	var s string
	switch t := v.(type) {
	case safeText:
		s = string(t)
	case htmlText:
		s = string(t)
	default:
		s = html.EscapeString(liquidString(v))
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return htmlText(strings.ReplaceAll(s, "\n", "<br />\n"))
}

func jsonFilter(v any) (jsonText, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return jsonText(b), nil
}

// liquidString formats a value the way Liquid prints it, except that whole
// numbers print without an exponent (JSON numbers arrive as float64) and maps
// print as JSON.
func liquidString(v any) string {
	switch t := v.(type) {
	case nil, missing:
		return ""
	case string:
		return t
	case safeText:
		return string(t)
	case jsonText:
		return string(t)
	case htmlText:
		return string(t)
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return formatFloat(t)
	case time.Time:
		return t.Format("2006-01-02 15:04:05 -0700")
	case []byte:
		return string(t)
	case *strictMap:
		b, _ := json.Marshal(t.m)
		return string(b)
	case *strictArray:
		return joinItems(t.a)
	case []any:
		return joinItems(t)
	case map[string]any:
		b, _ := json.Marshal(t)
		return string(b)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		var b strings.Builder
		for i := range rv.Len() {
			b.WriteString(liquidString(rv.Index(i).Interface()))
		}
		return b.String()
	case reflect.Map:
		if b, err := json.Marshal(v); err == nil {
			return string(b)
		}
	case reflect.Float32:
		return formatFloat(rv.Float())
	}
	return fmt.Sprint(v)
}

// joinItems prints an array as Liquid does: its items run together.
func joinItems(items []any) string {
	var b strings.Builder
	for _, item := range items {
		b.WriteString(liquidString(item))
	}
	return b.String()
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// jsonEscape escapes s as the content of a JSON string (without the quotes).
func jsonEscape(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			if r == utf8.RuneError {
				b.WriteString(`\ufffd`)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	if start == 0 {
		return s
	}
	b.WriteString(s[start:])
	return b.String()
}
