package template

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func escapeVars() Vars {
	v := testVars()
	v.Profile["name"] = `<script>alert("x")</script> & co`
	v.Profile["attr"] = `" onmouseover="steal()`
	v.Profile["snippet"] = `<b>bold</b>`
	v.Profile["bio"] = "line <1>\nline 2"
	v.Profile["quote"] = "say \"hi\"\\ \n\tnow \x01 \u2028 é 🎉 \xff"
	v.Profile["age"] = 42.0
	return v
}

func TestEscapeHTMLPart(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"text node", "<p>{{ profile.name }}</p>", "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</p>"},
		{"attribute", `<a title="{{ profile.attr }}">x</a>`, `<a title="&#34; onmouseover=&#34;steal()">x</a>`},
		{"url ampersands", `<a href="{{ message.unsubscribe_url }}">u</a>`, `<a href="https://cairn.test/u/abc?x=1&amp;y=2">u</a>`},
		{"template markup is kept", "<h1>Hi {{ profile.first_name }}</h1>", "<h1>Hi Ann</h1>"},
		{"safe", "{{ profile.snippet | safe }}", "<b>bold</b>"},
		{"a filter after safe escapes again", "{{ profile.snippet | safe | upcase }}", "&lt;B&gt;BOLD&lt;/B&gt;"},
		{"capture is not escaped twice", "{% capture b %}<b>{{ profile.snippet }}</b>{% endcapture %}{{ b }}", "<b>&lt;b&gt;bold&lt;/b&gt;</b>"},
		{"explicit escape is not escaped twice", "{{ profile.snippet | escape }}", "&lt;b&gt;bold&lt;/b&gt;"},
		{"escape_once", "{{ \"&lt;b&gt; <i>\" | escape_once }}", "&lt;b&gt; &lt;i&gt;"},
		{"newline_to_br escapes its input", "{{ profile.bio | newline_to_br }}", "line &lt;1&gt;<br />\nline 2"},
		{"json is escaped in html", "{{ profile.tags | json }}", "[&#34;new&#34;,&#34;beta&#34;]"},
		{"assign is escaped at output", "{% assign s = profile.snippet %}{{ s }}", "&lt;b&gt;bold&lt;/b&gt;"},
		{"default literal is escaped", `{{ profile.nope | default: "<none>" }}`, "&lt;none&gt;"},
		{"raw block untouched", "{% raw %}<b>{{ x }}</b>{% endraw %}", "<b>{{ x }}</b>"},
		{"numbers", "{{ profile.age }}", "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := mustCompile(t, Template{Name: "t", Channel: ChannelEmail, Subject: "s", HTML: tt.src})
			out, err := c.Render(escapeVars())
			require.NoError(t, err)
			require.Equal(t, tt.want, out.HTML)
		})
	}
}

func TestEscapeTextPartsAreNotEscaped(t *testing.T) {
	t.Parallel()
	const src = "{{ profile.name }}"
	const want = `<script>alert("x")</script> & co`
	tests := []struct {
		tmpl  Template
		parts func(Rendered) []string
	}{
		{Template{Name: "email", Channel: ChannelEmail, Subject: src, Text: src},
			func(r Rendered) []string { return []string{r.Subject, r.Text} }},
		{Template{Name: "sms", Channel: ChannelSMS, Body: src},
			func(r Rendered) []string { return []string{r.Body} }},
		{Template{Name: "push", Channel: ChannelPush, Title: src, Body: src, Data: map[string]string{"k": src}},
			func(r Rendered) []string { return []string{r.Title, r.Body, r.Data["k"]} }},
		{Template{Name: "inapp", Channel: ChannelInApp, Title: src, Body: src, Data: map[string]string{"k": src}},
			func(r Rendered) []string { return []string{r.Title, r.Body, r.Data["k"]} }},
		{Template{Name: "task", Channel: ChannelTask, Body: src},
			func(r Rendered) []string { return []string{r.Body} }},
		{Template{Name: "webhook", Channel: ChannelWebhook, Body: "{}", Headers: map[string]string{"X-Name": src}},
			func(r Rendered) []string { return []string{r.Headers["X-Name"]} }},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl.Name, func(t *testing.T) {
			t.Parallel()
			out, err := mustCompile(t, tt.tmpl).Render(escapeVars())
			require.NoError(t, err)
			for i, got := range tt.parts(out) {
				require.Equal(t, want, got, "part %d", i)
			}
		})
	}
}

func TestEscapeDirectMailIsHTML(t *testing.T) {
	t.Parallel()
	out, err := mustCompile(t, Template{Name: "d", Channel: ChannelDirectMail, Body: "<p>{{ profile.name }}</p>"}).Render(escapeVars())
	require.NoError(t, err)
	require.Equal(t, "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</p>", out.Body)
}

func TestEscapeWebhookJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      any // the decoded body
	}{
		{"string content", `{"q": "{{ profile.quote }}"}`, map[string]any{"q": "say \"hi\"\\ \n\tnow \x01 \u2028 é 🎉 \ufffd"}},
		{"markup is not html-escaped", `{"n": "{{ profile.name }}"}`, map[string]any{"n": `<script>alert("x")</script> & co`}},
		{"number outside quotes", `{"age": {{ profile.age }}}`, map[string]any{"age": 42.0}},
		{"json value", `{"tags": {{ profile.tags | json }}, "addr": {{ profile.address | json }}}`,
			map[string]any{"tags": []any{"new", "beta"}, "addr": map[string]any{"city": "Oslo", "zip": "0150"}}},
		{"json of a string", `{"n": {{ profile.quote | json }}}`, map[string]any{"n": "say \"hi\"\\ \n\tnow \x01 \u2028 é 🎉 \ufffd"}},
		{"map inside quotes", `{"a": "{{ profile.address }}"}`, map[string]any{"a": `{"city":"Oslo","zip":"0150"}`}},
		{"html escape is json-escaped", `{"e": "{{ profile.attr | escape }}"}`, map[string]any{"e": "&#34; onmouseover=&#34;steal()"}},
		{"capture is kept as rendered", `{% capture q %}"{{ profile.quote }}"{% endcapture %}{"q": {{ q }}}`, map[string]any{"q": "say \"hi\"\\ \n\tnow \x01 \u2028 é 🎉 \ufffd"}},
		{"loop", `[{% for o in profile.orders %}{"sku": "{{ o.sku }}"}{% unless forloop.last %},{% endunless %}{% endfor %}]`,
			[]any{map[string]any{"sku": "A1"}, map[string]any{"sku": "B2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := mustCompile(t, Template{Name: "w", Channel: ChannelWebhook, Body: tt.src}).Render(escapeVars())
			require.NoError(t, err)
			var got any
			require.NoError(t, json.Unmarshal([]byte(out.Body), &got), out.Body)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestWebhookInvalidOutput(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, msg string }{
		{"string outside quotes", `{"n": {{ profile.first_name }}}`, "not valid JSON"},
		{"truncated", `{"n": "{{ profile.first_name }}"`, "not valid JSON"},
		{"two values", `{} {}`, `not one JSON value: unexpected "{}" after offset 2`},
		{"trailing brace", `0}`, "not one JSON value"},
		{"empty output", `{% if profile.vip %}{}{% endif %}`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := mustCompile(t, Template{Name: "w", Channel: ChannelWebhook, Body: tt.body}).Render(testVars())
			require.ErrorIs(t, err, ErrInvalidOutput)
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.Equal(t, "body", re.Part)
			require.Contains(t, re.Message, tt.msg)
		})
	}
}

func TestJSONEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"", ""},
		{`"`, `\"`},
		{`a\b`, `a\\b`},
		{"\n\r\t", `\n\r\t`},
		{"\x00\x1f", `\u0000\u001f`},
		{"é🎉", "é🎉"},
		{"\u2028\u2029", `\u2028\u2029`},
		{"a\xffb", `a\ufffdb`},
		{"<&>", "<&>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := jsonEscape(tt.in)
			require.Equal(t, tt.want, got)
			var back string
			require.NoError(t, json.Unmarshal([]byte(`"`+got+`"`), &back))
		})
	}
}
