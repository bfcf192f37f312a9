package template

import (
	"strings"
	"testing"

	"github.com/osteele/liquid/parser"
	"github.com/stretchr/testify/require"
)

func TestRewriteSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		mode      outputMode
		want      string
		exprs     []exprInfo
	}{
		{"output", "Hi {{ profile.name }}!", modeText,
			"Hi {{ (profile.name) | cairn_out_text: 0 }}!", []exprInfo{{1, "profile.name"}}},
		{"html mode and line numbers", "a\n{{ x | upcase }}\n{{y}}", modeHTML,
			"a\n{{ (x | upcase) | cairn_out_html: 0 }}\n{{(y) | cairn_out_html: 1}}", []exprInfo{{2, "x | upcase"}, {3, "y"}}},
		{"trim markers kept", "{{- x -}} {%- if y -%}{%- endif -%}", modeJSON,
			"{{- (x) | cairn_out_json: 0 -}} {%- if (y) | cairn_truthy -%}{%- endif -%}", []exprInfo{{1, "x"}}},
		{"multi-line object", "{{\n  x\n}}", modeText, "{{\n  (x) | cairn_out_text: 0\n}}", []exprInfo{{1, "x"}}},
		{"conditions", "{% if a == 1 %}{% elsif b %}{% else %}{% endif %}{% unless c %}{% endunless %}", modeText,
			"{% if (a == 1) | cairn_truthy %}{% elsif (b) | cairn_truthy %}{% else %}{% endif %}{% unless (c) | cairn_truthy %}{% endunless %}", nil},
		{"capture renamed", "{% capture x %}{{ y }}{% endcapture %}", modeHTML,
			"{% cairn_capture x %}{{ (y) | cairn_out_html: 0 }}{% endcairn_capture %}", []exprInfo{{1, "y"}}},
		{"raw and comment untouched", "{% raw %}{{ a }}{% if b %}{% endraw %}{% comment %}{{ c }}{% endcomment %}{{ d }}", modeText,
			"{% raw %}{{ a }}{% if b %}{% endraw %}{% comment %}{{ c }}{% endcomment %}{{ (d) | cairn_out_text: 0 }}", []exprInfo{{1, "d"}}},
		{"other tags untouched", "{% assign x = y | upcase %}{% case q %}{% when 1 %}{% endcase %}{% cycle 'a' %}", modeText,
			"{% assign x = y | upcase %}{% case q %}{% when 1 %}{% endcase %}{% cycle 'a' %}", nil},
		{"loops count iterations", "{% for i in z -%}\n{% else %}{% endfor %}{% tablerow t in z %}{% endtablerow %}", modeText,
			"{% for i in z -%}{{ cairn_budget | cairn_tick }}\n{% else %}{% endfor %}{% tablerow t in z %}{{ cairn_budget | cairn_tick }}{% endtablerow %}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rw := rewrite("body", tt.src, tt.mode)
			require.Empty(t, rw.problems)
			require.Equal(t, tt.want, rw.source)
			require.Equal(t, tt.exprs, rw.exprs)
			require.Equal(t, strings.Count(tt.src, "\n"), strings.Count(rw.source, "\n"))
		})
	}
}

func TestFilterNamesIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args string
		want []string
	}{
		{"x", nil},
		{"x | upcase", []string{"upcase"}},
		{`x | default: "a|b" | append: 'c | d' |truncate: 5`, []string{"default", "append", "truncate"}},
		{"x | has-dash? | under_score", []string{"has-dash?", "under_score"}},
		{`"unterminated | x`, nil},
		{"x | | y", []string{"y"}},
		{"x |", nil},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, filterNamesIn(tt.args))
		})
	}
}

func TestChildPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  any
		want string
	}{
		{"first_name", "p.first_name"},
		{"has-dash", "p.has-dash"},
		{"ok?", "p.ok?"},
		{"first name", `p["first name"]`},
		{"2fa", `p["2fa"]`},
		{"", `p[""]`},
		{3, "p[3]"},
		{1.5, "p[1.5]"},
		{nil, "p[nil]"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, childPath("p", tt.key))
	}
}

func TestRewriteDecorationIsHiddenFromMessages(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`syntax error in "(%assign x) | cairn_out_html: 12"`, `syntax error in "%assign x"`},
		{`syntax error in "(a b) | cairn_truthy"`, `syntax error in "a b"`},
		{`syntax error in "x |"`, `syntax error in "x |"`},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, rewriteDecoration.ReplaceAllString(tt.in, "${1}${2}"))
	}
}

func TestSpliceArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tok  parser.Token
		want string
		ok   bool
	}{
		{parser.Token{Type: parser.ObjTokenType, Source: "{{ x }}", Args: "x"}, "{{ <x> }}", true},
		{parser.Token{Type: parser.ObjTokenType, Source: "{{-\n x -}}", Args: "x"}, "{{-\n <x> -}}", true},
		{parser.Token{Type: parser.TagTokenType, Source: "{%- if  a %}", Name: "if", Args: "a"}, "{%- if  <a> %}", true},
		{parser.Token{Type: parser.TagTokenType, Source: "{%if a%}", Name: "if", Args: "a"}, "{%if <a>%}", true},
		{parser.Token{Type: parser.ObjTokenType, Source: "{{ x }}", Args: "y"}, "", false},
		{parser.Token{Type: parser.TagTokenType, Source: "{% unless a %}", Name: "if", Args: "a"}, "", false},
	}
	for _, tt := range tests {
		got, ok := spliceArgs(tt.tok, "<", ">")
		require.Equal(t, tt.ok, ok, tt.tok.Source)
		require.Equal(t, tt.want, got)
	}
}
