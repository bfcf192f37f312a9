package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"id":"t","name":"n","channel":"email","subject":"Hi {{ profile.first_name }}","html":"<p>{{ profile.first_name | default: \"there\" }}</p>"}`))
	f.Add([]byte(`{"name":"w","channel":"webhook","body":"{\"a\": \"{{ profile.id }}\"}","headers":{"X-A":"{{ message.key }}"}}`))
	f.Add([]byte("name: p\nchannel: push\ntitle: t\nbody: '{% if profile.vip %}VIP{% endif %}'\ndata:\n  k: v\n"))
	f.Add([]byte("name: s\nchannel: sms\nbody: |\n  {% for o in profile.orders %}{{ o.sku }}{% endfor %}\n"))
	f.Add([]byte(`{"name":"x","channel":"sms","body":"{{ 99999999999999999999 }}"}`))
	f.Add([]byte(`{"name":"x","channel":"sms","body":"{% assign forloop = 1 %}{% cycle 'a' %}"}`))
	f.Add([]byte("{\"name\": 1}"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		tm, err := Parse(data)
		if err != nil {
			return
		}
		// The canonical JSON form parses back to the same template.
		b, err := json.Marshal(tm)
		if err != nil {
			t.Fatalf("marshal parsed template: %v", err)
		}
		again, err := Parse(b)
		if err != nil {
			t.Fatalf("parse own JSON %s: %v", b, err)
		}
		if !sameTemplate(tm, again) {
			t.Fatalf("round trip changed the template:\n%+v\n%+v", tm, again)
		}
		verr := tm.Validate()
		c, cerr := Compile(tm)
		if (verr == nil) != (cerr == nil) {
			t.Fatalf("Validate %v but Compile %v", verr, cerr)
		}
		if cerr != nil {
			if !errors.Is(cerr, ErrInvalid) {
				t.Fatalf("compile error is not ErrInvalid: %v", cerr)
			}
			return
		}
		_, _ = c.Render(testVars())
	})
}

// watchdog crashes the fuzz worker when one input runs for more than ten
// seconds, so the fuzzer records it: a template must never stall a sender.
// It returns the function that disarms it.
func watchdog(input any) func() {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			panic(fmt.Sprintf("input ran for more than 10s: %q", input))
		}
	}()
	return func() { close(done) }
}

func sameTemplate(a, b *Template) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Channel == b.Channel && a.Subject == b.Subject &&
		a.HTML == b.HTML && a.Text == b.Text && a.Title == b.Title && a.Body == b.Body &&
		maps.Equal(a.Data, b.Data) && maps.Equal(a.Headers, b.Headers) &&
		a.Transactional == b.Transactional && strings.Join(a.Tags, "\x00") == strings.Join(b.Tags, "\x00") &&
		len(a.Tags) == len(b.Tags)
}

func FuzzRender(f *testing.F) {
	vars, _ := json.Marshal(testVars())
	f.Add(`Hi {{ profile.first_name }}`, vars)
	f.Add(`{{ profile.nope | default: "x" | upcase }}`, vars)
	f.Add(`{% if profile.vip %}a{% elsif profile.x %}b{% else %}c{% endif %}`, vars)
	f.Add(`{% for o in profile.orders reversed %}{{ o.sku }}{{ forloop.index }}{% else %}none{% endfor %}`, vars)
	f.Add(`{% capture c %}<b>{{ profile.first_name }}</b>{% endcapture %}{{ c | safe }}`, vars)
	f.Add(`{"a": {{ profile.tags | json }}, "b": "{{ profile.address }}"}`, vars)
	f.Add(`{% for i in (1..profile.points) %}{% endfor %}`, vars)
	f.Add(`{{ profile.orders | sort: "price" | map: "sku" | join }}`, vars)
	f.Add(`{{ a == b }}{% case x %}{% when 1, 2 %}{% endcase %}`, []byte(`{"profile":{"a":{"b":1}}}`))
	f.Add(`{% tablerow t in profile.tags cols: 2 %}{{ t }}{% endtablerow %}`, []byte(`{"profile":{"tags":[1,2,3]}}`))
	f.Add(`{{ profile.x }}`, []byte(`not json`))
	f.Fuzz(func(t *testing.T, src string, varsJSON []byte) {
		defer watchdog(src)()
		var v Vars
		_ = json.Unmarshal(varsJSON, &v) // invalid JSON renders with what decoded
		for _, tm := range []Template{
			{Name: "e", Channel: ChannelEmail, Subject: src, HTML: src},
			{Name: "e", Channel: ChannelEmail, Subject: "s", Text: src},
			{Name: "w", Channel: ChannelWebhook, Body: src, Headers: map[string]string{"X-A": src}},
		} {
			c, err := Compile(&tm)
			if err != nil {
				continue
			}
			out, err := c.Render(v)
			if err != nil {
				var re *RenderError
				if !errors.As(err, &re) {
					t.Fatalf("render error is not a *RenderError: %v", err)
				}
				continue
			}
			if tm.Channel == ChannelWebhook && !json.Valid([]byte(out.Body)) {
				t.Fatalf("webhook body rendered invalid JSON: %q", out.Body)
			}
			if RewriteLinks(out.HTML, func(s string) string { return s }) != out.HTML {
				t.Fatalf("identity link rewrite changed the HTML")
			}
		}
	})
}

func FuzzHTML(f *testing.F) {
	f.Add(`<a href="https://a.test/?x=1&amp;y=2">a</a><a href='mailto:x@y'>m</a>`)
	f.Add(`<!-- <a href="https://x"> --><script><a href="https://x"></script><a href=https://b.test>`)
	f.Add(`<p>a<br>b</p><ul><li>x</li></ul><pre> a  b</pre><a href="https://t">https://t</a>`)
	f.Add(`<a title="a>b" href = "https://c.test" data-cairn-notrack>`)
	f.Add(`<a href="unterminated`)
	f.Add(`<</a <a href=>`)
	f.Fuzz(func(t *testing.T, h string) {
		if RewriteLinks(h, func(s string) string { return s }) != h {
			t.Fatalf("identity link rewrite changed the HTML")
		}
		out := RewriteLinks(h, func(string) string { return "https://t.test/c" })
		if strings.Count(out, `href="https://t.test/c"`) < strings.Count(h, `href="https://t.test/c"`) {
			t.Fatalf("rewrite lost links")
		}
		_ = HTMLToText(h)
		if px := AddOpenPixel(h, "https://t.test/o"); !strings.Contains(px, `<img src="https://t.test/o"`) {
			t.Fatalf("pixel missing")
		}
	})
}
