package template

import (
	"fmt"
	"slices"
	"strings"
)

// Validate checks that the channel is known, the channel's required parts are
// present and no foreign ones are, data keys and header names are usable, and
// every part is well-formed Liquid using known filters and tags. It returns a
// *ValidationError listing every problem, or nil.
func (t *Template) Validate() error {
	if _, probs := t.check(); len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

// check validates t and compiles its parts.
func (t *Template) check() ([]*compiledPart, []Problem) {
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if isBlank(t.Name) {
		add("name", "is required; give the template a name")
	}
	for i, tag := range t.Tags {
		if isBlank(tag) {
			add(fmt.Sprintf("tags[%d]", i), "is empty; remove it or give it a value")
		}
	}
	spec, ok := channelSpecs[t.Channel]
	if !ok {
		add("channel", "unknown channel %q; use one of %s", t.Channel, strings.Join(Channels(), ", "))
		return nil, probs
	}
	for _, name := range scalarParts {
		present := !isBlank(t.part(name))
		switch {
		case present && !slices.Contains(spec.parts, name):
			add(name, "%s templates have no %s part; remove it (parts: %s)", t.Channel, name, strings.Join(specParts(spec), ", "))
		case !present && slices.Contains(spec.required, name):
			add(name, "is required for %s templates", t.Channel)
		}
	}
	if len(spec.anyOf) > 0 && !slices.ContainsFunc(spec.anyOf, func(n string) bool { return !isBlank(t.part(n)) }) {
		add(spec.anyOf[0], "%s templates need %s (or both); a missing text part is derived from html", t.Channel, strings.Join(spec.anyOf, " or "))
	}
	if len(t.Data) > 0 && !spec.data {
		add(PartData, "%s templates have no data part; remove it", t.Channel)
	}
	if len(t.Headers) > 0 && !spec.headers {
		add(PartHeaders, "%s templates have no headers part; remove it", t.Channel)
	}
	var parts []*compiledPart
	for _, ps := range t.sources(spec) {
		if p := keyProblem(ps); p != nil {
			probs = append(probs, *p)
			continue
		}
		cp, pp := compilePart(ps)
		probs = append(probs, pp...)
		if cp != nil {
			parts = append(parts, cp)
		}
	}
	return parts, probs
}

// keyProblem checks a data key or header name.
func keyProblem(ps partSource) *Problem {
	switch {
	case ps.group == PartData && isBlank(ps.key):
		return &Problem{Field: ps.name, Message: "data keys must not be empty"}
	case ps.group == PartHeaders && !isToken(ps.key):
		return &Problem{Field: ps.name, Message: fmt.Sprintf("%q is not a valid HTTP header name; use letters, digits and -", ps.key)}
	}
	return nil
}

// isToken reports whether s is an RFC 9110 token (a valid header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isWordByte(c) && !strings.ContainsRune("!#$%&'*+-.^`|~", rune(c)) {
			return false
		}
	}
	return true
}

func specParts(spec channelSpec) []string {
	parts := slices.Clone(spec.parts)
	if spec.data {
		parts = append(parts, PartData)
	}
	if spec.headers {
		parts = append(parts, PartHeaders)
	}
	return parts
}
