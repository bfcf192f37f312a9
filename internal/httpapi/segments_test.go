package httpapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func ptr(s string) *string { return &s }

func TestParseDefinitionErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		req   segmentRequest
		field string
		msg   string // substring of the message
	}{
		{"no form", segmentRequest{}, "definition", "exactly one of"},
		{"two forms", segmentRequest{Text: ptr("everyone"), YAML: ptr("everyone: true")}, "definition", "got 2"},
		{"not an object", segmentRequest{Definition: []byte(`["everyone"]`)}, "definition", "JSON object"},
		{"node path", segmentRequest{Definition: []byte(`{"and":[{"everyone":true},{"everyone":true},{"performed":{"event":"X","window":{"within":"-3d"}}}]}`)},
			"definition.and[2].performed.window.within", "positive"},
		{"root", segmentRequest{Definition: []byte(`{"nope":1}`)}, "definition", "nope"},
		{"text syntax", segmentRequest{Text: ptr("trait plan =")}, "text", "line 1, column "},
		{"text validation uses the node path", segmentRequest{Text: ptr(`everyone and trait age > "old"`)}, "definition.and[1].trait.value", ""},
		{"yaml syntax", segmentRequest{YAML: ptr("and: [\n")}, "yaml", "not valid YAML"},
		{"yaml validation", segmentRequest{YAML: ptr("random_bucket: {percent: 200}")}, "definition.random_bucket.percent", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := tc.req.parseDefinition()
			var ae *Error
			require.True(t, errors.As(err, &ae), "%v", err)
			require.Equal(t, CodeBadRequest, ae.Code)
			require.Equal(t, tc.field, ae.Field, ae.Message)
			require.Contains(t, ae.Message, tc.msg)
			require.False(t, strings.HasPrefix(ae.Message, "conditions"), "the internal root name does not leak: %s", ae.Message)
		})
	}
}

func TestParseDefinitionForms(t *testing.T) {
	t.Parallel()
	want := `{"performed":{"event":"Order Completed","window":{"within":"30d"}}}`
	for name, req := range map[string]segmentRequest{
		"json": {Definition: []byte(want)},
		"text": {Text: ptr(`performed "Order Completed" within 30d`)},
		"yaml": {YAML: ptr("performed:\n  event: Order Completed\n  window: {within: 720h}\n")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			def, err := req.parseDefinition()
			require.NoError(t, err)
			require.JSONEq(t, want, string(def.JSON()))
			require.Equal(t, want, string(def.JSON()), "canonical field order")
		})
	}
}
