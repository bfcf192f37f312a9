package template

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    *Template
		wantErr string
	}{
		{
			name: "json",
			in: `{"id":"t1","name":"Welcome","channel":"email","subject":"Hi {{ profile.first_name }}",
				"html":"<p>Hi</p>","transactional":true,"tags":["onboarding"]}`,
			want: &Template{ID: "t1", Name: "Welcome", Channel: "email", Subject: "Hi {{ profile.first_name }}",
				HTML: "<p>Hi</p>", Transactional: true, Tags: []string{"onboarding"}},
		},
		{
			name: "json with leading whitespace and BOM",
			in:   "\xef\xbb\xbf \n {\"name\":\"n\",\"channel\":\"sms\",\"body\":\"b\"}",
			want: &Template{Name: "n", Channel: "sms", Body: "b"},
		},
		{
			name: "yaml",
			in: `id: t2
name: Push
channel: push
title: "{{ event.name }}"
body: |
  Hello {{ profile.first_name | default: "there" }}
data:
  deeplink: app://orders/{{ event.properties.order_id }}
  count: 5
headers: {}
text: |
  last line keeps its newline
`,
			want: &Template{ID: "t2", Name: "Push", Channel: "push", Title: "{{ event.name }}",
				Body:    "Hello {{ profile.first_name | default: \"there\" }}\n",
				Data:    map[string]string{"deeplink": "app://orders/{{ event.properties.order_id }}", "count": "5"},
				Headers: map[string]string{}, Text: "last line keeps its newline\n"},
		},
		{name: "json unknown field", in: `{"name":"n","channel":"sms","bdy":"x"}`, wantErr: `unknown field "bdy"`},
		{name: "yaml unknown field", in: "name: n\nchannel: sms\nbdy: x\n", wantErr: "field bdy not found"},
		{name: "json trailing data", in: `{"name":"n"} {"name":"m"}`, wantErr: "unexpected data after"},
		{name: "json syntax", in: `{"name":`, wantErr: "json:"},
		{name: "json wrong type", in: `{"name":5}`, wantErr: "json:"},
		{name: "yaml two documents", in: "name: a\n---\nname: b\n", wantErr: "more than one document"},
		{name: "yaml not a mapping", in: "just a string", wantErr: "yaml:"},
		{name: "yaml duplicate key", in: "name: a\nname: b\n", wantErr: "yaml:"},
		{name: "empty", in: "  \n", wantErr: "definition is empty"},
		{name: "too large", in: `{"name":"` + strings.Repeat("x", MaxDefinitionSize) + `"}`, wantErr: "the limit is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	t.Parallel()
	orig := &Template{Name: "n", Data: map[string]string{"a": "1"}, Headers: map[string]string{"H": "v"}, Tags: []string{"x"}}
	c := orig.Clone()
	c.Data["a"], c.Headers["H"], c.Tags[0] = "2", "w", "y"
	require.Equal(t, "1", orig.Data["a"])
	require.Equal(t, "v", orig.Headers["H"])
	require.Equal(t, "x", orig.Tags[0])
}
