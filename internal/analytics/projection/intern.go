package projection

import (
	"fmt"
	"math"
)

// interner maps strings to small ids and back.
type interner[T uint8 | uint16 | uint32] struct {
	ids  map[string]T
	strs []string
	last T // the id returned last: feeds repeat values in runs
}

func (in *interner[T]) id(s string) (T, error) {
	if int(in.last) < len(in.strs) && in.strs[in.last] == s {
		return in.last, nil
	}
	if id, ok := in.ids[s]; ok {
		in.last = id
		return id, nil
	}
	var zero T
	limit := uint64(math.MaxUint32)
	switch any(zero).(type) {
	case uint8:
		limit = math.MaxUint8
	case uint16:
		limit = math.MaxUint16
	}
	if uint64(len(in.strs)) > limit {
		return 0, fmt.Errorf("projection: more than %d distinct values (at %q)", limit+1, s)
	}
	if in.ids == nil {
		in.ids = map[string]T{}
	}
	id := T(len(in.strs))
	in.ids[s] = id
	in.strs = append(in.strs, s)
	in.last = id
	return id, nil
}

// lookup returns the id of s if it was seen.
func (in *interner[T]) lookup(s string) (T, bool) {
	id, ok := in.ids[s]
	return id, ok
}
