package template

import (
	"strings"
	"testing"

	"github.com/osteele/liquid"
	"github.com/stretchr/testify/require"
)

func TestRenderLimits(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, msg string }{
		{"huge range", "{% for i in (1..1000000000) %}{% endfor %}", "more than 20000 loop iterations"},
		{"continue cannot dodge the count", "{% for i in (1..1000000000) %}{% continue %}{% endfor %}", "more than 20000 loop iterations"},
		{"nested loops count together", "{% for i in (1..200) %}{% for j in (1..200) %}{% endfor %}{% endfor %}", "more than 20000 loop iterations"},
		{"tablerow", "{% tablerow i in (1..1000000) %}{% endtablerow %}", "more than 20000 loop iterations"},
		{"doubling string", "{% assign s = 'xxxxxxxxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}", "the limit is 2097152"},
		{"doubling array", "{% assign a = 'a,b' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}", "items; the limit is 100000"},
		{"range as array", "{{ (1..1000000000) | join: ',' }}", "range of 1000000000 numbers"},
		{"doubling capture", "{% capture s %}xxxxxxxxxxxxxxxx{% endcapture %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}", "the limit is 2097152"},
		{"big output", "{% for i in (1..20000) %}" + strings.Repeat("x", 200) + "{% endfor %}", "larger than 2097152 bytes"},
		{"reserved counter", "{% assign cairn_budget = 1 %}{% for i in (1..2) %}{% endfor %}", "cairn_budget is reserved"},
		{"huge truncate does not crash", "{{ 'abc' | truncate: 100000 }}", "the template engine failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := renderBody(t, tt.src, testVars())
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.Contains(t, re.Message, tt.msg)
			if !strings.Contains(tt.msg, "reserved") && !strings.Contains(tt.msg, "engine failed") {
				require.ErrorIs(t, err, ErrLimitExceeded)
			}
		})
	}
}

// TestRewriteKeepsWhitespaceControl compares the stock library with Cairn's
// rewritten source on templates whose output does not depend on Cairn's rules.
func TestRewriteKeepsWhitespaceControl(t *testing.T) {
	t.Parallel()
	srcs := []string{
		"a   {% for t in tags -%}\n  {{- t }}  \n{%- endfor %}",
		"a   {%- for t in tags %}\n{{ t }}{% endfor %}",
		"x {% for t in tags %} {{- t -}} {% else %} none {% endfor %} y",
		"{% for t in tags -%}  {% if t == 'new' -%}  N  {%- else -%} O {%- endif %} {% endfor %}",
		"{%- if vip -%}  yes  {%- else -%}  no  {%- endif -%} .",
		"  {{- name -}}  |{% capture c -%}  {{ name }}  {%- endcapture %}[{{ c }}]",
		"{% tablerow t in tags %} {{- t }} {% endtablerow %}",
		"{% for t in tags %}{% unless forloop.first %}, {% endunless %}{{ t }}{% endfor %}",
	}
	vars := map[string]any{"tags": []any{"new", "beta"}, "vip": false, "name": "Ann"}
	stock := liquid.NewEngine()
	for _, src := range srcs {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			want, err := stock.ParseAndRenderString(src, vars)
			require.NoError(t, err)
			// Cairn's variables live under profile.
			cairnSrc := strings.NewReplacer("tags", "profile.tags", "vip", "profile.vip", "name", "profile.name").Replace(src)
			got, rerr := renderBody(t, cairnSrc, Vars{Profile: vars})
			require.NoError(t, rerr)
			require.Equal(t, want, got)
		})
	}
}

func TestLoopLimitIsPerPartAndPerRender(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, Template{Name: "p", Channel: ChannelPush, Title: "{% for i in (1..20000) %}{% endfor %}t", Body: "{% for i in (1..20000) %}{% endfor %}b"})
	for range 2 {
		out, err := c.Render(testVars())
		require.NoError(t, err)
		require.Equal(t, "t", out.Title)
		require.Equal(t, "b", out.Body)
	}
}
