package template

import (
	"testing"
)

// benchEmail is a typical marketing email: ten variables, a default, a
// condition, a loop and an unsubscribe link.
var benchEmail = Template{
	Name:    "order-shipped",
	Channel: ChannelEmail,
	Subject: "{{ profile.first_name | default: \"Hi\" }}, order {{ event.properties.order_id }} is on its way",
	HTML: `<html><body>
<h1>Hi {{ profile.first_name | default: "there" }} {{ profile.last_name }},</h1>
<p>Your order <b>{{ event.properties.order_id }}</b> ({{ event.properties.total }} EUR) shipped to {{ profile.address.city }}.</p>
{% if profile.vip %}<p>As a VIP you earned {{ profile.points }} points.</p>{% endif %}
<ul>{% for o in profile.orders %}<li>{{ o.sku }}: {{ o.price }}</li>{% endfor %}</ul>
<p><a href="https://shop.test/orders/{{ event.properties.order_id }}?utm_campaign={{ message.tracking.utm_campaign }}">Track it</a></p>
<p>Sent by {{ journey.name }} on {{ now | date: "%b %d, %Y" }}. <a href="{{ message.unsubscribe_url }}">Unsubscribe</a></p>
</body></html>`,
}

func BenchmarkRenderEmail(b *testing.B) {
	c := mustCompile(b, benchEmail)
	vars := testVars()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Render(vars); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileEmail(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(&benchEmail); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrackEmail(b *testing.B) {
	out, err := mustCompile(b, benchEmail).Render(testVars())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = AddOpenPixel(RewriteLinks(out.HTML, trackWrap), "https://t.test/o")
	}
}
