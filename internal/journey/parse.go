package journey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// MaxInputLen bounds a definition's size; MaxNodes its node count.
const (
	MaxInputLen = 1 << 20
	MaxNodes    = 500
)

// ParseJSON decodes the canonical JSON form strictly (unknown fields are
// errors naming where they are). It does not validate the graph: call
// Validate (or Compile) before publishing.
func ParseJSON(data []byte) (*Definition, error) {
	if len(data) > MaxInputLen {
		return nil, &ValidationError{Problems: []Problem{{Path: "journey", Msg: fmt.Sprintf("definition is %d bytes, more than the limit of %d", len(data), MaxInputLen), Hint: "split it into several journeys joined with jump nodes"}}}
	}
	var top struct {
		Definition
		Nodes []json.RawMessage `json:"nodes"`
	}
	if err := strict(data, &top); err != nil {
		return nil, &ValidationError{Problems: []Problem{{Path: "journey", Msg: err.Error(), Hint: `a journey is one JSON object with id, name, entry and nodes`}}}
	}
	if len(top.Nodes) > MaxNodes {
		return nil, &ValidationError{Problems: []Problem{{Path: "nodes", Msg: fmt.Sprintf("%d nodes, more than the limit of %d", len(top.Nodes), MaxNodes), Hint: "split the journey with jump nodes"}}}
	}
	d := top.Definition
	d.Nodes = make([]Node, len(top.Nodes))
	var ps problems
	for i, raw := range top.Nodes {
		if err := strict(raw, &d.Nodes[i]); err != nil {
			var id struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(raw, &id) //nolint:errcheck // best effort: only names the node in the error
			ps.add("nodes["+strconv.Itoa(i)+"]", id.ID, err.Error(), "each node is {\"id\":..., \"<kind>\":{...}, \"next\":...}")
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return &d, nil
}

// ParseYAML decodes the YAML form: the same structure as JSON.
func ParseYAML(data []byte) (*Definition, error) {
	if len(data) > MaxInputLen {
		return ParseJSON(data) // reports the size
	}
	var tree any
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return nil, &ValidationError{Problems: []Problem{{Path: "journey", Msg: "not valid YAML: " + err.Error(), Hint: "check indentation and quoting"}}}
	}
	j, err := json.Marshal(tree)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{{Path: "journey", Msg: "YAML does not map to JSON: " + err.Error(), Hint: "use string keys only"}}}
	}
	return ParseJSON(j)
}

// Parse accepts JSON or YAML (anything not starting with '{' is YAML).
func Parse(data []byte) (*Definition, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return ParseJSON(data)
	}
	return ParseYAML(data)
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not a valid definition: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// JSON returns the canonical JSON form.
func (d *Definition) JSON() []byte {
	b, err := json.Marshal(d)
	if err != nil {
		return nil // a parsed Definition always marshals
	}
	return b
}

// decodeTree decodes raw JSON into a tree with json.Number numbers, as the
// segment language's decoders expect.
func decodeTree(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
