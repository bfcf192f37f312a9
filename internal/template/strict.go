package template

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/osteele/liquid/values"
)

// This file makes missing variables visible. The render context is wrapped in
// strictMap and strictArray values (implementations of the library's
// values.Value interface, which the library passes through untouched); a
// lookup that finds nothing — an absent key, a null, an index out of range —
// yields a missing sentinel that remembers its path. The sentinel is false in
// tests, equal only to nil and to other sentinels, iterates zero times, and is
// refused by every filter except default and by the output filters (output.go),
// which turn it into a render error naming the path.
//
// Int panics with values.TypeError: that is the library's protocol for a
// conversion error inside expression evaluation, which it recovers into an
// ordinary render error.

// recorder collects, for one render, missing variables that were printed by a
// route the output filters do not see (for example the right-hand side of
// "contains", which the library stringifies). It is the backstop that keeps a
// message from going out with a silent blank.
type recorder struct{ printed []string }

func (r *recorder) record(path string) {
	if r != nil {
		r.printed = append(r.printed, path)
	}
}

// missing is the value of a variable that does not exist.
type missing struct {
	path string
	rec  *recorder
}

func (m missing) Interface() any { return m }
func (m missing) Int() int {
	panic(values.TypeError("undefined variable " + m.path + " used as a number"))
}
func (m missing) Less(values.Value) bool       { return false }
func (m missing) Contains(values.Value) bool   { return false }
func (m missing) Test() bool                   { return false }
func (m missing) Len() int                     { return 0 }
func (m missing) Index(int) any                { return nil }
func (m missing) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

func (m missing) Equal(o values.Value) bool {
	switch o.Interface().(type) {
	case nil, missing:
		return true
	}
	return false
}

func (m missing) IndexValue(k values.Value) values.Value {
	return missing{childPath(m.path, k.Interface()), m.rec}
}

func (m missing) PropertyValue(k values.Value) values.Value {
	return missing{childPath(m.path, k.Interface()), m.rec}
}

// String is called only when the library stringifies the sentinel itself; it
// records the path so the render fails.
func (m missing) String() string {
	m.rec.record(m.path)
	return ""
}

// strictMap is a map of the render context.
type strictMap struct {
	m    map[string]any
	path string
	rec  *recorder
	keys []string // sorted, built on first iteration
}

func (s *strictMap) Interface() any               { return s }
func (s *strictMap) Int() int                     { panic(values.TypeError(s.path + " is a map, not a number")) }
func (s *strictMap) Equal(o values.Value) bool    { return looseEqual(s, o.Interface()) }
func (s *strictMap) Less(values.Value) bool       { return false }
func (s *strictMap) Test() bool                   { return true }
func (s *strictMap) MarshalJSON() ([]byte, error) { return json.Marshal(s.m) }
func (s *strictMap) String() string               { return liquidString(s) }

func (s *strictMap) Contains(k values.Value) bool {
	key, ok := k.Interface().(string)
	if !ok {
		return false
	}
	_, ok = s.m[key]
	return ok
}

func (s *strictMap) IndexValue(k values.Value) values.Value { return s.get(k.Interface()) }

func (s *strictMap) PropertyValue(k values.Value) values.Value {
	if key, ok := k.Interface().(string); ok && key == "size" {
		if _, present := s.m[key]; !present {
			return values.ValueOf(len(s.m))
		}
	}
	return s.get(k.Interface())
}

func (s *strictMap) get(key any) values.Value {
	str, ok := key.(string)
	if !ok {
		return missing{childPath(s.path, key), s.rec}
	}
	return values.ValueOf(wrap(s.m[str], s.path, str, s.rec))
}

// Len and Index make a for loop over a map yield [key, value] pairs, in key
// order (the library's own map iteration order is random).
func (s *strictMap) Len() int { return len(s.m) }

func (s *strictMap) Index(i int) any {
	if s.keys == nil {
		s.keys = make([]string, 0, len(s.m))
		for k := range s.m {
			s.keys = append(s.keys, k)
		}
		slices.Sort(s.keys)
	}
	k := s.keys[i]
	return []any{k, wrap(s.m[k], s.path, k, s.rec)}
}

// strictArray is an array of the render context.
type strictArray struct {
	a    []any
	path string
	rec  *recorder
}

func (s *strictArray) Interface() any               { return s }
func (s *strictArray) Int() int                     { panic(values.TypeError(s.path + " is an array, not a number")) }
func (s *strictArray) Equal(o values.Value) bool    { return looseEqual(s, o.Interface()) }
func (s *strictArray) Less(values.Value) bool       { return false }
func (s *strictArray) Test() bool                   { return true }
func (s *strictArray) Len() int                     { return len(s.a) }
func (s *strictArray) Index(i int) any              { return wrap(s.a[i], s.path, i, s.rec) }
func (s *strictArray) MarshalJSON() ([]byte, error) { return json.Marshal(s.a) }
func (s *strictArray) String() string               { return liquidString(s) }

func (s *strictArray) Contains(v values.Value) bool {
	want := v.Interface()
	for _, item := range s.a {
		if looseEqual(item, want) {
			return true
		}
	}
	return false
}

func (s *strictArray) IndexValue(k values.Value) values.Value {
	var n int
	switch i := k.Interface().(type) {
	case int:
		n = i
	case float64:
		n = int(i)
	default:
		return missing{childPath(s.path, k.Interface()), s.rec}
	}
	if n < 0 {
		n += len(s.a)
	}
	if n < 0 || n >= len(s.a) {
		return missing{childPath(s.path, n), s.rec}
	}
	return values.ValueOf(wrap(s.a[n], s.path, n, s.rec))
}

func (s *strictArray) PropertyValue(k values.Value) values.Value {
	key, _ := k.Interface().(string)
	switch {
	case key == "size":
		return values.ValueOf(len(s.a))
	case key == "first" && len(s.a) > 0:
		return values.ValueOf(wrap(s.a[0], s.path, 0, s.rec))
	case key == "last" && len(s.a) > 0:
		return values.ValueOf(wrap(s.a[len(s.a)-1], s.path, len(s.a)-1, s.rec))
	}
	return missing{childPath(s.path, k.Interface()), s.rec}
}

// Compile-time checks that the wrappers are library values.
var (
	_ values.Value = missing{}
	_ values.Value = (*strictMap)(nil)
	_ values.Value = (*strictArray)(nil)
)

// wrap returns the render-context form of v, the child key of parent: maps and
// arrays become strict wrappers, nil becomes missing, scalars stay as they are.
// The child's path is only built when the result needs it.
func wrap(v any, parent string, key any, rec *recorder) any {
	switch t := v.(type) {
	case nil:
		return missing{childPath(parent, key), rec}
	case string, bool, float64, int, int64, json.Number, time.Time,
		missing, *strictMap, *strictArray, safeText, jsonText, htmlText:
		return v
	case map[string]any:
		if t == nil {
			return missing{childPath(parent, key), rec}
		}
		return &strictMap{m: t, path: childPath(parent, key), rec: rec}
	case []any:
		if t == nil {
			return missing{childPath(parent, key), rec}
		}
		return &strictArray{a: t, path: childPath(parent, key), rec: rec}
	}
	return wrapReflect(v, parent, key, rec)
}

// wrapReflect handles maps and slices of other Go types a caller may pass.
func wrapReflect(v any, parent string, key any, rec *recorder) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		if rv.IsNil() {
			return missing{childPath(parent, key), rec}
		}
		if rv.Type().Key().Kind() != reflect.String {
			return v
		}
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[it.Key().String()] = it.Value().Interface()
		}
		return &strictMap{m: m, path: childPath(parent, key), rec: rec}
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return missing{childPath(parent, key), rec}
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return v
		}
		a := make([]any, rv.Len())
		for i := range a {
			a[i] = rv.Index(i).Interface()
		}
		return &strictArray{a: a, path: childPath(parent, key), rec: rec}
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return missing{childPath(parent, key), rec}
		}
	}
	return v
}

// unwrapRaw returns the plain Go value behind a render-context value.
func unwrapRaw(v any) any {
	switch t := v.(type) {
	case *strictMap:
		return t.m
	case *strictArray:
		return t.a
	case missing:
		return nil
	}
	return v
}

// looseEqual is the library's equality, made safe for maps and slices (which
// the library compares with == and so panics on).
func looseEqual(a, b any) bool {
	a, b = unwrapRaw(a), unwrapRaw(b)
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isContainer(a) || isContainer(b) {
		return reflect.DeepEqual(a, b)
	}
	if !reflect.TypeOf(a).Comparable() || !reflect.TypeOf(b).Comparable() {
		return false
	}
	return values.Equal(a, b)
}

func isContainer(v any) bool {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map, reflect.Slice, reflect.Array:
		return true
	}
	return false
}

// childPath formats the path of key under parent the way a template author
// would write it: profile.first_name, profile["first name"], orders[0].
func childPath(parent string, key any) string {
	switch k := key.(type) {
	case string:
		if isIdentifier(k) {
			return parent + "." + k
		}
		return parent + "[" + strconv.Quote(k) + "]"
	case int:
		return parent + "[" + strconv.Itoa(k) + "]"
	case nil:
		return parent + "[nil]"
	}
	return fmt.Sprintf("%s[%v]", parent, key)
}

// isIdentifier reports whether s can follow a dot in a Liquid path.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r == '-' || r >= '0' && r <= '9'):
		case i > 0 && i == len(s)-1 && r == '?':
		default:
			return false
		}
	}
	return true
}
