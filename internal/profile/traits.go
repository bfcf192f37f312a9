package profile

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// maxDepth bounds how deep nested trait objects are flattened; deeper objects
// are stored whole at that depth.
const maxDepth = 8

// Leaf is one flattened trait value.
type Leaf struct {
	Path  string
	Value json.RawMessage
}

// Flatten turns a trait object into dotted leaf paths, sorted by path.
// Objects are descended into; arrays, scalars and null are leaves. An empty
// object is a leaf holding {}.
func Flatten(traits map[string]any) []Leaf {
	var out []Leaf
	flatten("", traits, 0, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func flatten(prefix string, obj map[string]any, depth int, out *[]Leaf) {
	for k, v := range obj {
		if k == "" || strings.Contains(k, ".") {
			// A dot inside a key would make the path ambiguous: keep it, escaped.
			k = strings.ReplaceAll(k, ".", "_")
			if k == "" {
				k = "_"
			}
		}
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if child, ok := v.(map[string]any); ok && len(child) > 0 && depth < maxDepth {
			flatten(path, child, depth+1, out)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			continue // values decoded from JSON always re-encode
		}
		*out = append(*out, Leaf{Path: path, Value: b})
	}
}

// Newer reports whether a write at time t from the event with log sequence
// seq beats the stored trait. Event time decides; ties go to the later write.
func Newer(t time.Time, stored store.Trait) bool {
	return !t.Before(stored.Time)
}

// Conflicts returns the stored paths that a new leaf at path replaces
// structurally: the path's ancestors (a scalar becoming an object) and its
// descendants (an object becoming a scalar).
func Conflicts(path string, stored map[string]store.Trait) []string {
	var out []string
	for p := range stored {
		if p == path {
			continue
		}
		if strings.HasPrefix(path, p+".") || strings.HasPrefix(p, path+".") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Assemble rebuilds the nested trait object from leaf traits.
func Assemble(traits []store.Trait) map[string]any {
	root := map[string]any{}
	sorted := append([]store.Trait(nil), traits...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, t := range sorted {
		var v any
		if err := json.Unmarshal(t.Value, &v); err != nil {
			continue
		}
		parts := strings.Split(t.Path, ".")
		node := root
		for _, p := range parts[:len(parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = v
	}
	return root
}
