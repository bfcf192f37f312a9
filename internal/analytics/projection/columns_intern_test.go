package projection

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// box is the data word of an interface value: the box a scalar was copied
// into when it became an interface.
func box(v any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] }

// Equal scalars a column keeps share one box; objects, arrays and nil are
// kept as they are, and past internMax distinct values nothing is shared.
func TestColumnInternsScalars(t *testing.T) {
	t.Parallel()
	var c column
	fresh := func(v any) any { // the same value in a box of its own
		switch v := v.(type) {
		case string:
			return strings.Clone(v)
		case float64:
			return []float64{v}[0]
		}
		return []bool{v.(bool)}[0]
	}
	for _, v := range []any{"camping", 49.5, true} {
		first := c.intern(fresh(v))
		require.Equal(t, box(first), box(c.intern(fresh(v))), "%v shares its box", v)
	}
	obj := map[string]any{"a": 1.0}
	require.Equal(t, obj, c.intern(obj))
	require.Nil(t, c.intern(nil))
	for i := range internMax {
		c.intern(float64(i) + 0.5)
	}
	require.Len(t, c.shared, internMax)
	late := c.intern(fresh(1e9))
	require.NotEqual(t, box(late), box(c.intern(fresh(1e9))), "past the bound values are boxed apart")
}
