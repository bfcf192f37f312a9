package template_test

import (
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/template"
)

func Example() {
	t, err := template.Parse([]byte(`
name: welcome
channel: email
subject: "Welcome, {{ profile.first_name | default: \"friend\" }}"
html: |
  <p>Hi {{ profile.first_name | default: "there" }},</p>
  {% if profile.vip %}<p>Thanks for being a VIP.</p>{% endif %}
  <p><a href="https://shop.test/?ref={{ profile.id }}">Shop</a></p>
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := template.Compile(t)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.Render(template.Vars{Profile: map[string]any{"id": "p1", "first_name": "<Ann>"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Subject)
	fmt.Print(out.HTML)
	fmt.Println("--")
	fmt.Println(out.Text)

	// A missing variable without a default is an error, not a blank.
	_, err = c.Render(template.Vars{Profile: map[string]any{}})
	fmt.Println(errors.Is(err, template.ErrUndefinedVariable), err)
	// Output:
	// Welcome, <Ann>
	// <p>Hi &lt;Ann&gt;,</p>
	//
	// <p><a href="https://shop.test/?ref=p1">Shop</a></p>
	// --
	// Hi <Ann>,
	//
	// Shop (https://shop.test/?ref=p1)
	// true render html: line 3: undefined variable profile.id; add a fallback with {{ profile.id | default: "…" }} or guard it with {% if profile.id %}
}
