package template

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStrictRendersPresentAndDefaulted(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"present", "Hi {{ profile.first_name }}", "Hi Ann"},
		{"nested", "{{ profile.address.city }}", "Oslo"},
		{"bracket", `{{ profile["first_name"] }}`, "Ann"},
		{"profile id", "{{ profile.id }}", "p1"},
		{"default on absent", `{{ profile.middle_name | default: "there" }}`, "there"},
		{"default on null", `{{ profile.nickname | default: "pal" }}`, "pal"},
		{"default on empty string", `{{ profile.empty | default: "x" }}`, "x"},
		{"default on false", `{{ profile.vip | default: "no" }}`, "no"},
		{"default keeps present", `{{ profile.first_name | default: "x" }}`, "Ann"},
		{"filter after default", `{{ profile.middle_name | default: "there" | upcase }}`, "THERE"},
		{"filters after default", `{{ profile.middle_name | default: "a b" | split: " " | join: "-" | append: "!" }}`, "a-b!"},
		{"default on absent parent", `{{ profile.company.name | default: "-" }}`, "-"},
		{"default falls back to a variable", `{{ profile.nickname | default: profile.first_name }}`, "Ann"},
		{"default on out of range", `{{ profile.orders[9].sku | default: "none" }}`, "none"},
		{"default on missing root", `{{ customer.name | default: "anon" }}`, "anon"},
		{"if absent", "{% if profile.middle_name %}yes{% else %}no{% endif %}", "no"},
		{"if null", "{% if profile.nickname %}yes{% else %}no{% endif %}", "no"},
		{"if absent parent", "{% if profile.company.name %}yes{% else %}no{% endif %}", "no"},
		{"if false", "{% if profile.vip %}yes{% else %}no{% endif %}", "no"},
		{"if present", "{% if profile.first_name %}yes{% else %}no{% endif %}", "yes"},
		{"if unknown root", "{% if customer %}yes{% else %}no{% endif %}", "no"},
		{"elsif absent", "{% if profile.x %}a{% elsif profile.y %}b{% else %}c{% endif %}", "c"},
		{"unless absent", "{% unless profile.middle_name %}none{% endunless %}", "none"},
		{"and with absent", "{% if profile.x and profile.first_name %}a{% else %}b{% endif %}", "b"},
		{"or with absent", "{% if profile.x or profile.first_name %}a{% else %}b{% endif %}", "a"},
		{"parenthesized condition", "{% if (profile.x or profile.first_name) and profile.id %}a{% endif %}", "a"},
		{"greater than absent", "{% if profile.age > 18 %}adult{% else %}unknown{% endif %}", "unknown"},
		{"less than absent", "{% if profile.age < 18 %}minor{% else %}unknown{% endif %}", "unknown"},
		{"absent equals nil", "{% if profile.age == nil %}none{% endif %}", "none"},
		{"absent not equal to string", `{% if profile.age != "x" %}diff{% endif %}`, "diff"},
		{"compare present", "{% if profile.points > 1000 %}big{% endif %}", "big"},
		{"compare maps", "{% if profile.address == profile.address %}same{% endif %}", "same"},
		{"contains on absent", `{% if profile.roles contains "admin" %}a{% else %}b{% endif %}`, "b"},
		{"contains in array", `{% if profile.tags contains "beta" %}y{% endif %}`, "y"},
		{"contains key", `{% if profile.address contains "city" %}y{% endif %}`, "y"},
		{"case on absent", `{% case profile.tier %}{% when "gold" %}g{% else %}other{% endcase %}`, "other"},
		{"case on present", `{% case profile.first_name %}{% when "Ann" %}hi ann{% endcase %}`, "hi ann"},
		{"for over absent takes else", "{% for x in profile.items %}{{ x }}{% else %}none{% endfor %}", "none"},
		{"for over array", "{% for o in profile.orders %}{{ o.sku }}{% unless forloop.last %},{% endunless %}{% endfor %}", "A1,B2"},
		{"if on loop item field", "{% for o in profile.orders %}{% if o.gift %}+{% endif %}{{ o.sku }} {% endfor %}", "A1 +B2 "},
		{"default on loop item field", `{% for o in profile.orders %}{{ o.coupon | default: "-" }}{% endfor %}`, "--"},
		{"for over map is sorted", "{% for kv in profile.address %}{{ kv[0] }}={{ kv[1] }};{% endfor %}", "city=Oslo;zip=0150;"},
		{"for with limit and reversed", "{% for t in profile.tags reversed limit: 1 %}{{ t }}{% endfor %}", "beta"},
		{"size first last", "{{ profile.orders.size }} {{ profile.orders.first.sku }} {{ profile.orders.last.sku }} {{ profile.tags | size }} {{ profile.address.size }}", "2 A1 B2 2 2"},
		{"negative index", "{{ profile.tags[-1] }}", "beta"},
		{"assign", "{% assign n = profile.first_name | upcase %}{{ n }}", "ANN"},
		{"assign absent then default", `{% assign n = profile.nope %}{{ n | default: "d" }}`, "d"},
		{"assign absent then if", `{% assign n = profile.nope %}{% if n %}y{% else %}n{% endif %}`, "n"},
		{"capture", "{% capture c %}{{ profile.first_name }}!{% endcapture %}{{ c }}", "Ann!"},
		{"map join", `{{ profile.orders | map: "sku" | join: "," }}`, "A1,B2"},
		{"map compact on absent keys", `{{ profile.orders | map: "gift" | compact | join: "," }}`, "true"},
		{"sort by key", `{{ profile.orders | sort: "price" | map: "sku" | join: "," }}`, "A1,B2"},
		{"json of a map", `{{ profile.address | json }}`, `{"city":"Oslo","zip":"0150"}`},
		{"array prints items", "{{ profile.tags }}", "newbeta"},
		{"array with null joins", `{{ profile.scores | join: "," }}`, "1,3"},
		{"map prints json", "{{ profile.address }}", `{"city":"Oslo","zip":"0150"}`},
		{"truthy map", "{% if profile.address %}y{% endif %}", "y"},
		{"numbers print plainly", "{{ profile.points }} {{ event.properties.total }} {{ profile.points | plus: 1 }} {{ 7 | divided_by: 2 }}", "1500000 42.5 1500001 3"},
		{"every root", `{{ event.name }}|{{ event.id }}|{{ event.properties.order_id }}|{{ event.timestamp | date: "%Y-%m-%d %H:%M" }}|{{ entry.plan }}|{{ journey.id }} {{ journey.name }}/{{ journey.node }}|{{ message.key }}|{{ message.unsubscribe_url }}|{{ message.tracking.utm_campaign }}|{{ now | date: "%Y" }}`,
			"Order Completed|e1|o-9|2024-03-05 14:30|pro|j1 Onboarding/send-welcome|m-1|https://cairn.test/u/abc?x=1&y=2|spring|2024"},
		{"raw block is literal", "{% raw %}{{ profile.nope }}{% endraw %}", "{{ profile.nope }}"},
		{"comment is skipped", "a{% comment %}{{ profile.nope }}{% endcomment %}b", "ab"},
		{"trim markers", "a  {{- profile.first_name -}}  b", "aAnnb"},
		{"tablerow", "{% tablerow t in profile.tags %}{{ t }}{% endtablerow %}", `<tr class="row1"><td class="col1">new</td><td class="col2">beta</td></tr>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := renderBody(t, tt.src, testVars())
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestStrictRejectsMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		src      string
		variable string // "" when the error cannot name one
		line     int
		msg      string
	}{
		{"absent", "Hi {{ profile.middle_name }}", "profile.middle_name", 1, `add a fallback with {{ profile.middle_name | default: "…" }}`},
		{"null", "Hi\n{{ profile.nickname }}", "profile.nickname", 2, "undefined variable profile.nickname"},
		{"absent parent", "{{ profile.company.name }}", "profile.company.name", 1, "undefined variable profile.company.name"},
		{"absent leaf", "{{ profile.address.street }}", "profile.address.street", 1, ""},
		{"bracket path", `{{ profile["middle name"] }}`, `profile["middle name"]`, 1, ""},
		{"filter without default", "{{ profile.middle_name | upcase }}", "profile.middle_name", 1, `given to filter "upcase"`},
		{"filter argument", `{{ "Hi " | append: profile.middle_name }}`, "profile.middle_name", 1, `given to filter "append"`},
		{"missing fallback", "{{ profile.a | default: profile.b }}", "profile.b", 1, ""},
		{"missing argument after default", `{{ profile.a | default: "x" | append: profile.b }}`, "profile.b", 1, ""},
		{"loop item field on its line", "{% for o in profile.orders %}\n{{ o.sku }}\n{{ o.gift }}\n{% endfor %}", "profile.orders[0].gift", 3, `add a fallback with | default: "…"`},
		{"out of range", "{{ profile.orders[5].sku }}", "profile.orders[5].sku", 1, ""},
		{"null in array", "{% for s in profile.scores %}{{ s }}{% endfor %}", "profile.scores[1]", 1, ""},
		{"unknown root", "x\n{{ customer.name }}", "customer.name", 2, "the variables are profile, event, entry, journey, message and now"},
		{"unknown root in filter", "{{ customer | upcase }}", "", 1, `filter "upcase" was given no value`},
		{"assigned absent", "{% assign n = profile.nope %}\n{{ n }}", "profile.nope", 2, ""},
		{"captured absent", "{% capture c %}{{ profile.nope }}{% endcapture %}", "profile.nope", 1, ""},
		{"contains with absent operand", "{% if profile.first_name contains profile.nope %}y{% endif %}", "profile.nope", 1, ""},
		{"nil filter result", `{{ profile.orders | map: "coupon" | first }}`, "", 1, `{{ profile.orders | map: "coupon" | first }} has no value`},
		{"event property", "{{ event.properties.coupon }}", "event.properties.coupon", 1, ""},
		{"message field", "{{ message.tracking.utm_source }}", "message.tracking.utm_source", 1, ""},
		{"entry field", "{{ entry.referrer }}", "entry.referrer", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := renderBody(t, tt.src, testVars())
			require.Empty(t, got)
			require.ErrorIs(t, err, ErrUndefinedVariable)
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.Equal(t, "body", re.Part)
			require.Equal(t, tt.variable, re.Variable)
			require.Equal(t, tt.line, re.Line)
			require.Contains(t, re.Message, tt.msg)
			require.Contains(t, err.Error(), "render body: ")
		})
	}
}

func TestStrictEmptyVars(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, variable string }{
		{"{{ profile.first_name }}", "profile.first_name"},
		{"{{ event.name }}", "event.name"},
		{"{{ event.timestamp }}", "event.timestamp"},
		{"{{ journey.name }}", "journey.name"},
		{"{{ message.unsubscribe_url }}", "message.unsubscribe_url"},
		{"{{ now }}", "now"},
		{`{{ now | date: "%Y" }}`, "now"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			_, err := renderBody(t, tt.src, Vars{})
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.Equal(t, tt.variable, re.Variable)
		})
	}
}

func TestStrictOtherRenderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, msg string }{
		{"range over absent", "{% for i in (1..profile.count) %}{{ i }}{% endfor %}", "undefined variable profile.count used as a number"},
		{"division by zero", "{{ 1 | divided_by: 0 }}", "division by zero"},
		{"wrong argument count", `{{ "a" | append: "b", "c" }}`, "wrong number of arguments (given 2, expected 1)"},
		{"cycle outside loop", `{% cycle "a", "b" %}`, "cycle must be within a forloop"},
		{"spoofed forloop does not crash", `{% assign forloop = 1 %}{% cycle "a", "b" %}`, "the template engine failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := renderBody(t, tt.src, testVars())
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.NotErrorIs(t, err, ErrUndefinedVariable)
			require.Contains(t, re.Message, tt.msg)
		})
	}
}

func TestStrictGoTypes(t *testing.T) {
	t.Parallel()
	type point struct{ X int }
	v := Vars{Profile: map[string]any{
		"labels":  map[string]string{"a": "A"},
		"codes":   []string{"x", "y"},
		"ints":    []int{1, 2},
		"nilmap":  map[string]any(nil),
		"nilptr":  (*point)(nil),
		"bytes":   []byte("raw"),
		"intkeys": map[int]string{1: "one"},
	}}
	tests := []struct{ name, src, want, variable string }{
		{"map of strings", "{{ profile.labels.a }}", "A", ""},
		{"map of strings missing key", "{{ profile.labels.b }}", "", "profile.labels.b"},
		{"slice of strings", "{{ profile.codes[1] }} {{ profile.codes.size }}", "y 2", ""},
		{"slice of ints loop", "{% for i in profile.ints %}{{ i }}{% endfor %}", "12", ""},
		{"typed nil map is missing", "{{ profile.nilmap.x }}", "", "profile.nilmap.x"},
		{"typed nil pointer is missing", "{{ profile.nilptr }}", "", "profile.nilptr"},
		{"bytes print as text", "{{ profile.bytes }}", "raw", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := renderBody(t, tt.src, v)
			if tt.variable == "" {
				require.NoError(t, err)
				require.Equal(t, tt.want, got)
				return
			}
			var re *RenderError
			require.ErrorAs(t, err, &re)
			require.Equal(t, tt.variable, re.Variable)
		})
	}
}
