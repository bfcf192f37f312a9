package template

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/osteele/liquid"
)

// MaxPartSize is the largest part source accepted, in bytes.
const MaxPartSize = 512 << 10

// compiledPart is one part's parsed Liquid, ready to render.
type compiledPart struct {
	partSource
	tpl   *liquid.Template
	exprs []exprInfo
}

// compilePart parses one part, reporting every problem it finds.
func compilePart(ps partSource) (cp *compiledPart, probs []Problem) {
	defer func() {
		if r := recover(); r != nil { // a library bug must not take the process down
			cp, probs = nil, []Problem{{Field: ps.name, Message: fmt.Sprintf("the template engine failed on this part (%v); simplify the Liquid around the last change", r)}}
		}
	}()
	if len(ps.source) > MaxPartSize {
		return nil, []Problem{{Field: ps.name, Message: fmt.Sprintf("is %d bytes; the limit is %d", len(ps.source), MaxPartSize)}}
	}
	// Parse the author's source first, so syntax errors quote what they wrote.
	if _, err := engine().ParseTemplateLocation([]byte(ps.source), ps.name, 1); err != nil {
		return nil, []Problem{liquidProblem(ps.name, err)}
	}
	rw := rewrite(ps.name, ps.source, ps.mode)
	if len(rw.problems) > 0 {
		return nil, rw.problems
	}
	tpl, err := engine().ParseTemplateLocation([]byte(rw.source), ps.name, 1)
	if err != nil {
		return nil, []Problem{liquidProblem(ps.name, err)}
	}
	return &compiledPart{partSource: ps, tpl: tpl, exprs: rw.exprs}, nil
}

// liquidProblem turns a library parse error into a Problem with a hint.
func liquidProblem(part string, err liquid.SourceError) Problem {
	msg := rewriteDecoration.ReplaceAllString(liquidMessage(err, part), "${1}${2}")
	switch {
	case strings.Contains(msg, "unterminated"):
		msg += "; close the block with its end tag, e.g. {% endif %} or {% endfor %}"
	case strings.Contains(msg, "undefined tag"):
		msg += "; supported tags: assign, capture, case/when, comment, cycle, for, if/elsif/else, raw, tablerow, unless, break, continue"
	case strings.Contains(msg, "not inside"):
		msg += "; move the tag inside its block"
	case strings.Contains(msg, "syntax error"):
		msg += `; check the expression: variables are written profile.first_name, strings "in quotes", filters | name: argument`
	}
	return Problem{Field: part, Line: err.LineNumber(), Message: msg}
}

// rewriteDecoration matches what rewrite adds around an expression, so a
// message can quote what the author wrote.
var rewriteDecoration = regexp.MustCompile(`\((.*)\) \| (?:` + filterOutText + `|` + filterOutHTML + `|` + filterOutJSON + `): \d+|\((.*)\) \| ` + filterTruthy)

// liquidMessage returns the library's message without its "Liquid error
// (line N): " prefix and " in <part>" suffix.
func liquidMessage(err error, part string) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "Liquid error"); ok {
		if strings.HasPrefix(rest, " (line ") {
			if i := strings.Index(rest, "): "); i >= 0 {
				rest = rest[i+1:]
			}
		}
		msg = strings.TrimPrefix(rest, ": ")
		msg = strings.TrimSuffix(msg, " in "+part)
	}
	return msg
}

// Compiled is a validated template with its Liquid parsed once. It is
// immutable and safe for concurrent use; rendering does not re-parse.
type Compiled struct {
	tmpl  *Template
	parts []*compiledPart
}

// Compile validates t and parses its parts. A template with problems returns
// a *ValidationError (matching ErrInvalid). The Compiled keeps its own copy of
// t, so later changes to t do not affect it.
func Compile(t *Template) (*Compiled, error) {
	parts, probs := t.check()
	if len(probs) > 0 {
		return nil, &ValidationError{Problems: probs}
	}
	return &Compiled{tmpl: t.Clone(), parts: parts}, nil
}

// Template returns a copy of the template that was compiled.
func (c *Compiled) Template() *Template { return c.tmpl.Clone() }
