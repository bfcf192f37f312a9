package template

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/filters"
	"github.com/osteele/liquid/render"
	"github.com/osteele/liquid/values"
)

// errInclude is what the include tag does if it ever reaches rendering
// (validation rejects it first): templates must not read files.
var errInclude = errors.New("the include tag is not supported")

// filterSet collects the library's standard filters.
type filterSet map[string]any

func (f filterSet) AddFilter(name string, fn any) { f[name] = fn }

// engine is the shared Liquid engine. It is configured once and only read
// afterwards, so templates parsed with it render concurrently.
var engine = sync.OnceValue(newEngine)

// knownFilters are the filter names a template may use.
var knownFilters = sync.OnceValue(func() map[string]bool {
	std := filterSet{}
	filters.AddStandardFilters(std)
	known := map[string]bool{"safe": true}
	for name := range std {
		known[name] = true
	}
	return known
})

func newEngine() *liquid.Engine {
	// No StrictVariables: every author {{ }} ends in an output filter that
	// does better (names the path, honours default), and the loop counter's
	// {{ }} must be allowed to print nothing.
	e := liquid.NewEngine()
	std := filterSet{}
	filters.AddStandardFilters(std)
	for name, fn := range std {
		e.RegisterFilter(name, guard(name, fn))
	}
	e.RegisterFilter("default", defaultFilter)
	e.RegisterFilter("json", guard("json", jsonFilter))
	e.RegisterFilter("safe", guard("safe", safeFilter))
	e.RegisterFilter("escape", guard("escape", escapeFilter))
	e.RegisterFilter("escape_once", guard("escape_once", escapeOnceFilter))
	e.RegisterFilter("newline_to_br", guard("newline_to_br", newlineToBRFilter))
	e.RegisterFilter(filterTruthy, truthy)
	e.RegisterFilter(filterTick, tick)
	for mode, name := range outFilterNames {
		e.RegisterFilter(name, outputFilter(mode))
	}
	e.RegisterTag("include", func(render.Context) (string, error) { return "", errInclude })
	e.RegisterBlock(tagCapture, captureBlock)
	return e
}

// guard wraps a library filter so that it refuses missing and nil arguments
// (naming the missing variable) and sees plain Go values instead of the strict
// wrappers. The wrapper is variadic so the library still applies the wrapped
// filter's own argument conversions and optional-argument defaults.
func guard(name string, fn any) func(args ...any) (any, error) {
	rf := reflect.ValueOf(fn)
	return func(args ...any) (any, error) {
		for i, a := range args {
			switch t := a.(type) {
			case missing:
				return nil, &undefinedError{path: t.path, filter: name, expr: -1}
			case nil:
				return nil, &undefinedError{filter: name, expr: -1}
			case *strictMap, *strictArray:
				args[i] = unwrapRaw(t)
			}
		}
		if r, ok := firstArg(args).(values.Range); ok && r.Len() > MaxArrayLen {
			return nil, fmt.Errorf("%w: filter %s: range of %d numbers; the limit is %d", ErrLimitExceeded, name, r.Len(), MaxArrayLen)
		}
		out, err := values.Call(rf, args)
		var parity *values.CallParityError
		if errors.As(err, &parity) {
			// Report counts without the input, as the library does.
			return nil, fmt.Errorf("filter %s: wrong number of arguments (given %d, expected %d)", name, parity.NumArgs-1, parity.NumParams-1)
		}
		if b, ok := out.([]byte); ok {
			out = string(b)
		}
		if err == nil {
			err = checkSize(name, out)
		}
		return out, err
	}
}

// captureBlock is capture that marks what it captured as trusted: it was
// rendered (and escaped) already, so printing it must not escape it again.
func captureBlock(ctx render.Context) (string, error) {
	name := strings.TrimSpace(ctx.TagArgs())
	if !isIdentifier(name) {
		return "", fmt.Errorf("capture needs a variable name, got %q", name)
	}
	s, err := ctx.InnerString()
	if err != nil {
		return "", err
	}
	if len(s) > MaxOutputSize {
		return "", fmt.Errorf("%w: capture %s: %d bytes; the limit is %d", ErrLimitExceeded, name, len(s), MaxOutputSize)
	}
	ctx.Set(name, safeText(s))
	return "", nil
}

// filterNames lists the known filters, for error messages.
func filterNames() string {
	return strings.Join(slices.Sorted(maps.Keys(knownFilters())), ", ")
}
