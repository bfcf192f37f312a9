package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// maxDocFile bounds a definition file; the server refuses bodies over 1 MiB.
const maxDocFile = 1 << 20

// docFile is one definition read with -f FILE: a JSON object from a .json
// file, or a .yaml/.yml file converted to the same JSON.
type docFile struct {
	name string          // the file as given, for messages
	json json.RawMessage // the object as JSON (YAML converted)
	yaml string          // the YAML text; "" for a .json file
}

// readDocFile reads and checks file; every error names the file and says
// how to fix it.
func readDocFile(file string) (*docFile, error) {
	if file == "" {
		return nil, errors.New("give the definition with -f FILE (a .json, .yaml or .yml file)")
	}
	ext := strings.ToLower(filepath.Ext(file))
	if ext != ".json" && ext != ".yaml" && ext != ".yml" {
		return nil, fmt.Errorf("%s: unknown extension %q; name the file .json, .yaml or .yml", file, ext)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read definition: %w", err)
	}
	if len(b) > maxDocFile {
		return nil, fmt.Errorf("%s is %d bytes; a definition may be at most %d", file, len(b), maxDocFile)
	}
	doc, err := parseDoc(file, ext, b)
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// parseDoc parses b, the content of file with extension ext.
func parseDoc(file, ext string, b []byte) (*docFile, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%s is empty; it should hold one object such as {\"id\": \"welcome\", ...}", file)
	}
	if ext == ".json" {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("%s is not valid JSON: %s", file, describeJSONErr(b, err))
		}
		if _, ok := v.(map[string]any); !ok {
			return nil, fmt.Errorf("%s holds %s; it should hold one JSON object such as {\"id\": \"welcome\", ...}", file, jsonKind(v))
		}
		return &docFile{name: file, json: json.RawMessage(bytes.TrimSpace(b))}, nil
	}
	j, err := yamlToJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid YAML definition: %w", file, err)
	}
	return &docFile{name: file, json: j, yaml: string(b)}, nil
}

// yamlToJSON converts one YAML document holding a mapping to JSON. It
// walks the node tree rather than decoding into any, so that values YAML
// would read as timestamps (2026-01-02) stay the strings they look like.
func yamlToJSON(b []byte) (json.RawMessage, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w (check indentation and quoting)", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, errors.New("more than one document (a second ---); put one definition per file")
	}
	budget := maxYAMLNodes
	v, err := yamlValue(&doc, &budget)
	if err != nil {
		return nil, err
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("the document is %s; it should be a mapping such as \"id: welcome\"", jsonKind(v))
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("it does not map to JSON: %w", err)
	}
	return j, nil
}

// maxYAMLNodes bounds the values a document may expand to (aliases can
// multiply a small file).
const maxYAMLNodes = 1 << 20

// yamlValue converts a node to the value JSON would decode to; budget
// counts down the nodes visited.
func yamlValue(n *yaml.Node, budget *int) (any, error) {
	if *budget--; *budget < 0 {
		return nil, errors.New("the document expands to too many values (aliases?)")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0], budget)
	case yaml.AliasNode:
		return yamlValue(n.Alias, budget)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, budget)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return yamlMapping(n, budget)
	case yaml.ScalarNode:
		if n.ShortTag() == "!!timestamp" {
			return n.Value, nil
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// yamlMapping converts a mapping; merge keys (<<) add the keys not set
// explicitly.
func yamlMapping(n *yaml.Node, budget *int) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			return nil, fmt.Errorf("line %d: a key is not a string; quote keys such as \"1\": x", k.Line)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: key %q appears twice", k.Line, k.Value)
		}
		val, err := yamlValue(v, budget)
		if err != nil {
			return nil, err
		}
		out[k.Value] = val
	}
	for _, m := range merges {
		v, err := yamlValue(m, budget)
		if err != nil {
			return nil, err
		}
		srcs, ok := v.([]any)
		if !ok {
			srcs = []any{v}
		}
		for _, src := range srcs {
			sm, ok := src.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("line %d: << must merge a mapping or a list of mappings", m.Line)
			}
			for key, val := range sm {
				if _, set := out[key]; !set {
					out[key] = val
				}
			}
		}
	}
	return out, nil
}

// id is the document's "id" ("" when absent or not a string).
func (d *docFile) id() string {
	var v struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(d.json, &v) != nil {
		return ""
	}
	s, _ := v.ID.(string)
	return s
}

// describeJSONErr adds the line and column of a syntax or type error.
func describeJSONErr(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(b, se.Offset)
		return fmt.Sprintf("line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(b, te.Offset)
		return fmt.Sprintf("line %d, column %d: %v", line, col, te)
	}
	return err.Error()
}

// lineCol is the 1-based line and column of the byte an error of
// encoding/json reports: its Offset counts the bytes read, that byte
// included.
func lineCol(b []byte, off int64) (line, col int) {
	pos := int(min(max(off-1, 0), int64(len(b))))
	before := b[:pos]
	line = bytes.Count(before, []byte("\n")) + 1
	col = pos - bytes.LastIndexByte(before, '\n')
	return line, col
}

// jsonKind names the type of a decoded value, with its article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	}
	return "a number"
}
