package template

import (
	"bytes"
	"fmt"
)

// Render limits. A template is written by a person but runs for every
// message, so a slip (a huge range, a string doubled in a loop) must fail the
// render rather than stall or exhaust the sender.
const (
	// MaxOutputSize is the largest rendered part, and the largest value a
	// filter or capture may produce, in bytes.
	MaxOutputSize = 2 << 20
	// MaxLoopIterations is how many for/tablerow iterations one part may run
	// in total.
	MaxLoopIterations = 20000
	// MaxArrayLen is the largest array a filter may produce or take as a range.
	MaxArrayLen = 100000
)

// budget counts one part's loop iterations.
type budget struct{ loops int }

func (*budget) String() string { return "" }

// errLoopLimit is returned when a part runs too many loop iterations.
var errLoopLimit = fmt.Errorf("%w: more than %d loop iterations; shorten the loop with limit: or loop over less data", ErrLimitExceeded, MaxLoopIterations)

// tick is the filter at the top of every loop body: it counts an iteration
// and prints nothing.
func tick(b any) (any, error) {
	bg, ok := b.(*budget)
	if !ok {
		return nil, fmt.Errorf("the variable %s is reserved; rename yours", budgetVar)
	}
	bg.loops++
	if bg.loops > MaxLoopIterations {
		return nil, errLoopLimit
	}
	return nil, nil
}

// errOutputTooLarge stops a render whose output passes MaxOutputSize.
var errOutputTooLarge = fmt.Errorf("%w: the rendered part is larger than %d bytes", ErrLimitExceeded, MaxOutputSize)

// limitWriter is a buffer that refuses to grow past max.
type limitWriter struct {
	buf bytes.Buffer
	max int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.max {
		return 0, errOutputTooLarge
	}
	return w.buf.Write(p)
}

func firstArg(args []any) any {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}

// checkSize keeps a filter from building a value that exhausts memory (a
// string doubled in a loop, say).
func checkSize(name string, v any) error {
	switch t := v.(type) {
	case string:
		if len(t) > MaxOutputSize {
			return fmt.Errorf("%w: filter %s: result of %d bytes; the limit is %d", ErrLimitExceeded, name, len(t), MaxOutputSize)
		}
	case []any:
		if len(t) > MaxArrayLen {
			return fmt.Errorf("%w: filter %s: result of %d items; the limit is %d", ErrLimitExceeded, name, len(t), MaxArrayLen)
		}
	case []string:
		if len(t) > MaxArrayLen {
			return fmt.Errorf("%w: filter %s: result of %d items; the limit is %d", ErrLimitExceeded, name, len(t), MaxArrayLen)
		}
	}
	return nil
}
