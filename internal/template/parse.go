package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	yaml "go.yaml.in/yaml/v3"
)

// MaxDefinitionSize is the largest template definition Parse accepts.
const MaxDefinitionSize = 2 << 20

// Parse decodes a template definition: JSON (the canonical form, recognized
// by its leading "{") or YAML. Unknown fields, trailing data and more than one
// document are rejected. Parse does not validate; call Validate or Compile.
func Parse(data []byte) (*Template, error) {
	if len(data) > MaxDefinitionSize {
		return nil, fmt.Errorf("parse template: definition is %d bytes; the limit is %d", len(data), MaxDefinitionSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data) // for sniffing only: YAML block scalars keep their final newline
	if len(trimmed) == 0 {
		return nil, errors.New("parse template: definition is empty")
	}
	var (
		t   Template
		err error
	)
	if trimmed[0] == '{' {
		err = decodeJSON(data, &t)
	} else {
		err = decodeYAML(data, &t)
	}
	if err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	return &t, nil
}

func decodeJSON(data []byte, t *Template) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(t); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("json: unexpected data after the template object")
	}
	return nil
}

func decodeYAML(data []byte, t *Template) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(t); err != nil {
		return fmt.Errorf("yaml: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("yaml: more than one document; put one template per definition")
	}
	return nil
}
