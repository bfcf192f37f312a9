package journey

import (
	"errors"
	"strings"
)

// ErrInvalid is matched by every *ValidationError.
var ErrInvalid = errors.New("invalid journey definition")

// Problem is one thing wrong with a definition: where (a path such as
// nodes[3] or entry.event.where[0]), which node, what and how to fix it.
type Problem struct {
	Path string `json:"path"`
	Node string `json:"node,omitempty"`
	Msg  string `json:"message"`
	Hint string `json:"hint,omitempty"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Node != "" {
		b.WriteString(" (node ")
		b.WriteString(p.Node)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString(" (")
		b.WriteString(p.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// ValidationError lists every problem found in a definition.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid journey: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// problems collects validation problems.
type problems struct{ list []Problem }

func (p *problems) add(path, node, msg, hint string) {
	p.list = append(p.list, Problem{Path: path, Node: node, Msg: msg, Hint: hint})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: p.list}
}
