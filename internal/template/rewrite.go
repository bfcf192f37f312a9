package template

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/osteele/liquid/parser"
)

// exprInfo describes one {{ }} of a part's original source.
type exprInfo struct {
	line int
	expr string
}

// rewritten is a part's source prepared for compilation.
type rewritten struct {
	source   string     // same line structure as the original
	exprs    []exprInfo // indexed by the output filter's argument
	problems []Problem  // static problems: unknown filters, include, stray delimiters
}

// rewrite prepares a part's source for compilation. It keeps every newline
// where it was, so the library's line numbers stay true, and:
//   - ends every {{ expr }} with the part's output filter and the index of the
//     expression: {{ (expr) | cairn_out_html: 3 }};
//   - makes every if/elsif/unless test the sentinel-aware truthiness:
//     {% if (cond) | cairn_truthy %};
//   - counts loop iterations: {% for … %}{{ cairn_budget | cairn_tick }} (an
//     object that prints nothing, so it disturbs no whitespace control);
//   - renames capture to Cairn's trusted capture.
//
// It leaves raw and comment blocks alone, and reports what it can see without
// evaluating anything: unknown filters, the include tag, and "{{" or "{%"
// left in text (an unterminated or multi-line tag).
func rewrite(part, src string, mode outputMode) rewritten {
	var (
		out       strings.Builder
		res       rewritten
		inRaw     bool
		inComment bool
	)
	out.Grow(len(src) + len(src)/4)
	for _, tok := range parser.Scan(src, parser.SourceLoc{LineNo: 1}, nil) {
		line := tok.SourceLoc.LineNo
		switch {
		case tok.Type == parser.TrimLeftTokenType || tok.Type == parser.TrimRightTokenType:
			continue // the "-" is part of the neighbouring token's source
		case inRaw:
			inRaw = !(tok.Type == parser.TagTokenType && tok.Name == "endraw")
		case inComment:
			inComment = !(tok.Type == parser.TagTokenType && tok.Name == "endcomment")
		case tok.Type == parser.TextTokenType:
			res.problems = append(res.problems, strayDelimiters(part, tok)...)
		case tok.Type == parser.ObjTokenType:
			res.problems = append(res.problems, unknownFilters(part, line, tok.Args)...)
			idx := len(res.exprs)
			res.exprs = append(res.exprs, exprInfo{line: line, expr: tok.Args})
			suffix := ") | " + outFilterNames[mode] + ": " + strconv.Itoa(idx)
			s, ok := spliceArgs(tok, "(", suffix)
			if !ok { // fail closed: an unprepared {{ }} would print unescaped
				res.problems = append(res.problems, unreadable(part, line, tok))
			}
			out.WriteString(s)
			continue
		case tok.Type == parser.TagTokenType:
			res.problems = append(res.problems, unknownFilters(part, line, tok.Args)...)
			switch tok.Name {
			case "raw":
				inRaw = true
			case "comment":
				inComment = true
			case "include":
				res.problems = append(res.problems, Problem{Field: part, Line: line,
					Message: "the include tag is not supported; templates cannot read files, paste the content instead"})
			case "if", "elsif", "unless":
				if tok.Args == "" {
					break // the library reports the syntax error
				}
				s, ok := spliceArgs(tok, "(", ") | "+filterTruthy)
				if !ok {
					res.problems = append(res.problems, unreadable(part, line, tok))
				}
				out.WriteString(s)
				continue
			case "for", "tablerow":
				out.WriteString(tok.Source)
				out.WriteString("{{ " + budgetVar + " | " + filterTick + " }}")
				continue
			case "capture", "endcapture":
				if s, ok := renameTag(tok, strings.Replace(tok.Name, "capture", tagCapture, 1)); ok {
					out.WriteString(s)
					continue
				}
			}
		}
		out.WriteString(tok.Source)
	}
	res.source = out.String()
	return res
}

func unreadable(part string, line int, tok parser.Token) Problem {
	return Problem{Field: part, Line: line, Message: fmt.Sprintf("cannot read %q; write the tag on one line with single spaces around its arguments", tok.Source)}
}

// argsStart returns where tok.Args begins in tok.Source, or -1.
func argsStart(tok parser.Token) int {
	s := tok.Source
	i := 2
	if len(s) > 2 && s[2] == '-' {
		i = 3
	}
	i = skipSpace(s, i)
	if tok.Type == parser.TagTokenType {
		if !strings.HasPrefix(s[i:], tok.Name) {
			return -1
		}
		i = skipSpace(s, i+len(tok.Name))
	}
	if !strings.HasPrefix(s[i:], tok.Args) {
		return -1
	}
	return i
}

// spliceArgs returns tok's source with its arguments wrapped in before/after.
func spliceArgs(tok parser.Token, before, after string) (string, bool) {
	i := argsStart(tok)
	if i < 0 {
		return "", false
	}
	j := i + len(tok.Args)
	return tok.Source[:i] + before + tok.Args + after + tok.Source[j:], true
}

// renameTag returns tok's source with its tag name replaced.
func renameTag(tok parser.Token, name string) (string, bool) {
	s := tok.Source
	i := 2
	if len(s) > 2 && s[2] == '-' {
		i = 3
	}
	i = skipSpace(s, i)
	if !strings.HasPrefix(s[i:], tok.Name) {
		return "", false
	}
	return s[:i] + name + s[i+len(tok.Name):], true
}

// skipSpace skips the characters the scanner's \s matches.
func skipSpace(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t\n\f\r", s[i]) >= 0 {
		i++
	}
	return i
}

// strayDelimiters reports "{{" or "{%" in text: the scanner only recognizes a
// tag that closes on the same line, so anything else is printed literally.
func strayDelimiters(part string, tok parser.Token) []Problem {
	var probs []Problem
	line := tok.SourceLoc.LineNo
	for _, l := range strings.Split(tok.Source, "\n") {
		for _, d := range []string{"{{", "{%"} {
			if strings.Contains(l, d) {
				probs = append(probs, Problem{Field: part, Line: line, Message: fmt.Sprintf(
					"%q is not closed; close it with %q on the same line, or wrap literal braces in {%% raw %%}…{%% endraw %%}",
					d, map[string]string{"{{": "}}", "{%": "%}"}[d])})
			}
		}
		line++
	}
	return probs
}

// unknownFilters reports filters in an expression that the engine does not
// have; the library itself only notices them while rendering.
func unknownFilters(part string, line int, args string) []Problem {
	var probs []Problem
	known := knownFilters()
	for _, name := range filterNamesIn(args) {
		if !known[name] {
			probs = append(probs, Problem{Field: part, Line: line, Message: fmt.Sprintf(
				"unknown filter %q; available filters: %s", name, filterNames())})
		}
	}
	return probs
}

// filterNamesIn returns the names following "|" in an expression, skipping
// string literals (which have no escapes in Liquid).
func filterNamesIn(args string) []string {
	var names []string
	for i := 0; i < len(args); i++ {
		switch c := args[i]; c {
		case '"', '\'':
			if j := strings.IndexByte(args[i+1:], c); j >= 0 {
				i += j + 1
			} else {
				i = len(args)
			}
		case '|':
			j := skipSpace(args, i+1)
			k := j
			for k < len(args) && (isWordByte(args[k]) || k > j && args[k] == '-') {
				k++
			}
			if k < len(args) && args[k] == '?' {
				k++
			}
			if k > j {
				names = append(names, args[j:k])
			}
			i = k - 1
		}
	}
	return names
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
