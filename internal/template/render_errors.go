package template

import (
	"errors"
	"fmt"
	"strings"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/expressions"
)

// renderError translates a library render error.
func (p *compiledPart) renderError(serr liquid.SourceError) *RenderError {
	re := &RenderError{Part: p.name, Line: serr.LineNumber(), cause: serr}
	var ue *undefinedError
	if cause := rootCause(serr); errors.As(cause, &ue) {
		re.kind, re.cause = ErrUndefinedVariable, nil
		re.Variable, re.Message = p.describeUndefined(ue)
		return re
	} else if cause != nil {
		re.Message, re.cause = cause.Error(), cause
		return re
	}
	re.Message = liquidMessage(serr, p.name)
	return re
}

// describeUndefined names what was undefined and how to fix it.
func (p *compiledPart) describeUndefined(ue *undefinedError) (variable, msg string) {
	if ue.path != "" {
		if ue.filter != "" {
			return ue.path, fmt.Sprintf("undefined variable %s given to filter %q; add | default: \"…\" before the filter, or guard it with {%% if … %%}", ue.path, ue.filter)
		}
		return ue.path, p.undefinedMessage(ue.path)
	}
	if ue.filter != "" {
		return "", fmt.Sprintf("filter %q was given no value (an unknown variable or an empty result); add | default: \"…\" before it", ue.filter)
	}
	expr := ""
	if ue.expr >= 0 && ue.expr < len(p.exprs) {
		expr = strings.TrimSpace(p.exprs[ue.expr].expr)
	}
	head := leadingPath(expr)
	root, _, _ := strings.Cut(head, ".")
	if head != "" && head == expr && !isRootVar(root) {
		return head, fmt.Sprintf("undefined variable %s; the variables are profile, event, entry, journey, message and now", head)
	}
	return "", fmt.Sprintf("{{ %s }} has no value; add | default: \"…\" for a fallback", expr)
}

// undefinedMessage explains a missing variable. The fix quotes the path only
// when the author wrote it that way (not, say, through a loop variable).
func (p *compiledPart) undefinedMessage(path string) string {
	if strings.Contains(p.source, path) {
		return fmt.Sprintf("undefined variable %s; add a fallback with {{ %s | default: \"…\" }} or guard it with {%% if %s %%}", path, path, path)
	}
	return fmt.Sprintf("undefined variable %s; add a fallback with | default: \"…\" or guard it with {%% if … %%}", path)
}

func isRootVar(name string) bool {
	switch name {
	case varProfile, varEvent, varEntry, varJourney, varMessage, varNow:
		return true
	}
	return false
}

// rootCause digs the innermost error out of the library's wrappers.
func rootCause(err error) error {
	for range 16 {
		switch e := err.(type) {
		case expressions.FilterError:
			err = e.Err
			continue
		case *expressions.FilterError:
			err = e.Err
			continue
		case interface{ Cause() error }:
			if c := e.Cause(); c != nil {
				err = c
				continue
			}
			if _, ok := e.(liquid.SourceError); ok {
				return nil
			}
		}
		return err
	}
	return err
}

// leadingPath returns the variable path an expression starts with, if any.
func leadingPath(expr string) string {
	i := 0
	for i < len(expr) && (isWordByte(expr[i]) || expr[i] == '-' || expr[i] == '.' || expr[i] == '?') {
		i++
	}
	head := strings.TrimRight(expr[:i], ".")
	if head == "" || !isIdentifier(strings.SplitN(head, ".", 2)[0]) {
		return ""
	}
	return head
}

// lineOf returns the 1-based line of the first mention of path in source.
func lineOf(source, path string) int {
	i := strings.Index(source, path)
	if i < 0 {
		return 0
	}
	return strings.Count(source[:i], "\n") + 1
}
