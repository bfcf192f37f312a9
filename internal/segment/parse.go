package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// Limits enforced at parse time.
const (
	MaxDepth     = 32   // nesting levels of condition nodes
	MaxNodes     = 500  // condition nodes in one definition
	MaxSteps     = 16   // steps of a sequence
	MaxListLen   = 1000 // items of an in/not_in list, ids, channels, filters
	MaxStringLen = 1024 // bytes of any string literal, path or name
	MaxRegexLen  = 256  // bytes of a matches pattern
	MaxInputLen  = 1 << 20
)

// rootPath is the path of the root node in validation errors.
const rootPath = "conditions"

// ParseJSON parses and validates the canonical JSON form.
func ParseJSON(data []byte) (*Definition, error) {
	if len(data) > MaxInputLen {
		return nil, invalid(rootPath, fmt.Sprintf("definition is %d bytes, more than the limit of %d", len(data), MaxInputLen), "split it into several segments joined with in_segment")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, invalid(rootPath, "not valid JSON: "+err.Error(), `a definition is one JSON object such as {"everyone":true}`)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, invalid(rootPath, "unexpected data after the JSON object", "send exactly one JSON object")
	}
	return FromTree(tree)
}

// ParseYAML parses the YAML form: the same structure as JSON, converted to
// JSON and parsed by ParseJSON.
func ParseYAML(data []byte) (*Definition, error) {
	if len(data) > MaxInputLen {
		return nil, invalid(rootPath, fmt.Sprintf("definition is %d bytes, more than the limit of %d", len(data), MaxInputLen), "split it into several segments joined with in_segment")
	}
	var tree any
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return nil, invalid(rootPath, "not valid YAML: "+err.Error(), "check indentation and quoting")
	}
	j, err := json.Marshal(tree)
	if err != nil {
		return nil, invalid(rootPath, "YAML does not map to JSON: "+err.Error(), "use string keys and finite numbers only")
	}
	return ParseJSON(j)
}

// FromTree validates a decoded JSON tree (map[string]any, []any, string,
// json.Number or float64, bool, nil) and builds the definition.
func FromTree(tree any) (*Definition, error) {
	d := decoder{}
	root, err := d.node(rootPath, tree, 1)
	if err != nil {
		return nil, err
	}
	return &Definition{Root: root}, nil
}

// MarshalJSON writes the canonical JSON form: fields in a fixed order,
// defaults omitted, times in UTC, durations in short form.
func (d *Definition) MarshalJSON() ([]byte, error) {
	if d == nil || d.Root == nil {
		return nil, errors.New("marshal empty segment definition")
	}
	return json.Marshal(d.Root)
}

// JSON returns the canonical JSON form.
func (d *Definition) JSON() []byte {
	b, err := d.MarshalJSON()
	if err != nil {
		return nil
	}
	return b
}

// Equal reports whether two definitions have the same canonical form.
func (d *Definition) Equal(o *Definition) bool {
	if d == nil || o == nil {
		return d == o
	}
	return bytes.Equal(d.JSON(), o.JSON())
}
