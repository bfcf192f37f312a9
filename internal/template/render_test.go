package template

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRenderChannels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tmpl Template
		want Rendered
	}{
		{
			name: "email with html and text",
			tmpl: Template{Name: "e", Channel: ChannelEmail, Subject: "Hi {{ profile.first_name }}",
				HTML: `<p>Hi {{ profile.first_name }}</p>`, Text: "Hi {{ profile.first_name }}, {{ event.name }}"},
			want: Rendered{Subject: "Hi Ann", HTML: "<p>Hi Ann</p>", Text: "Hi Ann, Order Completed"},
		},
		{
			name: "email text derived from html",
			tmpl: Template{Name: "e", Channel: ChannelEmail, Subject: "Order {{ event.properties.order_id }}",
				HTML: `<h1>Thanks, {{ profile.first_name }}!</h1><p>Your order <b>{{ event.properties.order_id }}</b> ships soon.</p><p><a href="{{ message.unsubscribe_url }}">Unsubscribe</a></p>`},
			want: Rendered{Subject: "Order o-9",
				HTML: `<h1>Thanks, Ann!</h1><p>Your order <b>o-9</b> ships soon.</p><p><a href="https://cairn.test/u/abc?x=1&amp;y=2">Unsubscribe</a></p>`,
				Text: "Thanks, Ann!\n\nYour order o-9 ships soon.\n\nUnsubscribe (https://cairn.test/u/abc?x=1&y=2)"},
		},
		{
			name: "a text part that renders empty stays empty",
			tmpl: Template{Name: "e", Channel: ChannelEmail, Subject: "s", HTML: "<p>x</p>", Text: "{% if profile.vip %}vip{% endif %}"},
			want: Rendered{Subject: "s", HTML: "<p>x</p>"},
		},
		{
			name: "subject is one line",
			tmpl: Template{Name: "e", Channel: ChannelEmail, Subject: "  Hi\n{{ profile.first_name }}\r\n ", Text: "x"},
			want: Rendered{Subject: "Hi Ann", Text: "x"},
		},
		{
			name: "sms",
			tmpl: Template{Name: "s", Channel: ChannelSMS, Body: "{{ profile.first_name }}, your code is {{ entry.plan | upcase }}"},
			want: Rendered{Body: "Ann, your code is PRO"},
		},
		{
			name: "push with data",
			tmpl: Template{Name: "p", Channel: ChannelPush, Title: "{{ event.name }}", Body: "Hi {{ profile.first_name }}",
				Data: map[string]string{"deeplink": "app://orders/{{ event.properties.order_id }}", "static": "1", "blank": ""}},
			want: Rendered{Title: "Order Completed", Body: "Hi Ann",
				Data: map[string]string{"deeplink": "app://orders/o-9", "static": "1", "blank": ""}},
		},
		{
			name: "inapp",
			tmpl: Template{Name: "i", Channel: ChannelInApp, Body: "{{ journey.name }}"},
			want: Rendered{Body: "Onboarding"},
		},
		{
			name: "webhook with headers",
			tmpl: Template{Name: "w", Channel: ChannelWebhook,
				Body:    `{"profile": "{{ profile.id }}", "key": "{{ message.key }}"}`,
				Headers: map[string]string{"Idempotency-Key": " {{ message.key }} ", "X-Plan": "{{ entry.plan }}"}},
			want: Rendered{Body: `{"profile": "p1", "key": "m-1"}`,
				Headers: map[string]string{"Idempotency-Key": "m-1", "X-Plan": "pro"}},
		},
		{
			name: "direct mail",
			tmpl: Template{Name: "d", Channel: ChannelDirectMail, Body: "<p>{{ profile.address.city }}</p>"},
			want: Rendered{Body: "<p>Oslo</p>"},
		},
		{
			name: "task",
			tmpl: Template{Name: "k", Channel: ChannelTask, Body: "Call {{ profile.first_name }} about {{ event.properties.order_id }}"},
			want: Rendered{Body: "Call Ann about o-9"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mustCompile(t, tt.tmpl).Render(testVars())
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestRenderHeaderInjection(t *testing.T) {
	t.Parallel()
	v := testVars()
	v.Profile["first_name"] = "Ann\r\nX-Evil: 1"
	c := mustCompile(t, Template{Name: "w", Channel: ChannelWebhook, Body: "{}", Headers: map[string]string{"X-Name": "{{ profile.first_name }}"}})
	_, err := c.Render(v)
	require.ErrorIs(t, err, ErrInvalidOutput)
	require.ErrorContains(t, err, "render headers.X-Name: the rendered header value contains a line break")
}

func TestRenderErrorNamesPart(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, Template{Name: "p", Channel: ChannelPush, Title: "ok", Body: "ok",
		Data: map[string]string{"a": "fine", "b": "x\n{{ profile.nope }}"}})
	_, err := c.Render(testVars())
	require.EqualError(t, err, `render data.b: line 2: undefined variable profile.nope; add a fallback with {{ profile.nope | default: "…" }} or guard it with {% if profile.nope %}`)
}

func TestRenderAssignDoesNotLeakBetweenParts(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, Template{Name: "e", Channel: ChannelEmail,
		Subject: "{% assign profile = 'x' %}{% assign greeting = 'hey' %}s", Text: "{{ profile.first_name }} {{ greeting | default: 'none' }}"})
	out, err := c.Render(testVars())
	require.NoError(t, err)
	require.Equal(t, "Ann none", out.Text)
}

func TestCompiledIsIndependentOfTemplate(t *testing.T) {
	t.Parallel()
	tm := Template{Name: "s", Channel: ChannelSMS, Body: "{{ profile.first_name }}", Tags: []string{"a"}}
	c := mustCompile(t, tm)
	tm.Body, tm.Tags[0] = "changed", "b"
	out, err := c.Render(testVars())
	require.NoError(t, err)
	require.Equal(t, "Ann", out.Body)
	got := c.Template()
	require.Equal(t, "{{ profile.first_name }}", got.Body)
	require.Equal(t, []string{"a"}, got.Tags)
	got.Body = "mutated"
	require.Equal(t, "{{ profile.first_name }}", c.Template().Body)
}

func TestRenderConcurrent(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, Template{Name: "e", Channel: ChannelEmail, Subject: "Hi {{ profile.first_name }}",
		HTML: `{% assign n = profile.first_name | upcase %}<p>{{ n }} #{{ profile.n }}</p>{% for o in profile.orders %}{{ o.sku }}{% endfor %}{% if profile.nope %}x{% endif %}`})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				v := testVars()
				v.Profile["first_name"] = fmt.Sprintf("p%d-%d", g, i)
				v.Profile["n"] = float64(i)
				out, err := c.Render(v)
				if err != nil {
					errs <- err
					return
				}
				want := fmt.Sprintf("<p>P%d-%d #%d</p>A1B2", g, i, i)
				if out.HTML != want {
					errs <- fmt.Errorf("got %q, want %q", out.HTML, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestVarsFromJSON(t *testing.T) {
	t.Parallel()
	var v Vars
	require.NoError(t, json.Unmarshal([]byte(`{
		"profile": {"id": "p9", "first_name": "Bo", "orders": [{"sku": "Z"}]},
		"event": {"name": "Signed Up", "timestamp": "2024-01-02T03:04:05Z", "properties": {"plan": "free"}},
		"entry": {"source": "ads"},
		"journey": {"id": "j", "name": "Welcome", "node": "n1"},
		"message": {"key": "k", "unsubscribe_url": "https://u.test/x", "tracking": {"utm_source": "cairn"}},
		"now": "2024-01-03T00:00:00Z"}`), &v))
	c := mustCompile(t, Template{Name: "s", Channel: ChannelSMS, Body: `{{ profile.first_name }} {{ profile.orders[0].sku }} ` +
		`{{ event.name }} {{ event.timestamp | date: "%d" }} {{ event.properties.plan }} {{ entry.source }} ` +
		`{{ journey.node }} {{ message.key }} {{ message.unsubscribe_url }} {{ message.tracking.utm_source }} {{ now | date: "%m-%d" }}`})
	out, err := c.Render(v)
	require.NoError(t, err)
	require.Equal(t, "Bo Z Signed Up 02 free ads n1 k https://u.test/x cairn 01-03", out.Body)

	b, err := json.Marshal(Vars{Profile: map[string]any{"id": "p"}})
	require.NoError(t, err)
	require.JSONEq(t, `{"profile":{"id":"p"}}`, string(b))
}
