package template

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// trackWrap is a click-tracking wrapper like the delivery layer's.
func trackWrap(orig string) string {
	return "https://t.cairn.test/c?u=" + url.QueryEscape(orig) + "&m=1"
}

func TestRewriteLinks(t *testing.T) {
	t.Parallel()
	const w = `href="https://t.cairn.test/c?u=`
	tests := []struct{ name, in, want string }{
		{"double quotes", `<a href="https://shop.test/a">A</a>`, `<a ` + w + `https%3A%2F%2Fshop.test%2Fa&amp;m=1">A</a>`},
		{"single quotes", `<a class='btn' href='http://shop.test/b'>B</a>`, `<a class='btn' ` + w + `http%3A%2F%2Fshop.test%2Fb&amp;m=1">B</a>`},
		{"unquoted", `<a href=https://shop.test/c>C</a>`, `<a ` + w + `https%3A%2F%2Fshop.test%2Fc&amp;m=1">C</a>`},
		{"upper case and spaces", `<A  HREF = "HTTPS://shop.test/D" >D</A>`, `<A  ` + w + `HTTPS%3A%2F%2Fshop.test%2FD&amp;m=1" >D</A>`},
		{"entities decoded for wrap", `<a href="https://shop.test/?a=1&amp;b=2">x</a>`, `<a ` + w + `https%3A%2F%2Fshop.test%2F%3Fa%3D1%26b%3D2&amp;m=1">x</a>`},
		{"attributes after href kept", `<a href="https://s.test" target="_blank" data-x='1'>x</a>`, `<a ` + w + `https%3A%2F%2Fs.test&amp;m=1" target="_blank" data-x='1'>x</a>`},
		{"quoted > in another attribute", `<a title="a>b" href="https://s.test">x</a>`, `<a title="a>b" ` + w + `https%3A%2F%2Fs.test&amp;m=1">x</a>`},
		{"mailto untouched", `<a href="mailto:help@shop.test">mail</a>`, `<a href="mailto:help@shop.test">mail</a>`},
		{"tel untouched", `<a href="tel:+4712345678">call</a>`, `<a href="tel:+4712345678">call</a>`},
		{"anchor untouched", `<a href="#top">top</a>`, `<a href="#top">top</a>`},
		{"relative untouched", `<a href="/account">acct</a>`, `<a href="/account">acct</a>`},
		{"unsubscribe untouched", `<a href="https://cairn.test/unsubscribe?t=1">Unsubscribe</a>`, `<a href="https://cairn.test/unsubscribe?t=1">Unsubscribe</a>`},
		{"unsubscribe any case untouched", `<a href="https://cairn.test/UnSubscribe/x">u</a>`, `<a href="https://cairn.test/UnSubscribe/x">u</a>`},
		{"opt-out attribute", `<a data-cairn-notrack href="https://s.test/p">p</a>`, `<a data-cairn-notrack href="https://s.test/p">p</a>`},
		{"anchor without href", `<a name="x">x</a>`, `<a name="x">x</a>`},
		{"not an a tag", `<abbr href="https://s.test">x</abbr><area href="https://s.test"><link href="https://s.test/c.css">`, `<abbr href="https://s.test">x</abbr><area href="https://s.test"><link href="https://s.test/c.css">`},
		{"commented out", `<!-- <a href="https://s.test">x</a> -->`, `<!-- <a href="https://s.test">x</a> -->`},
		{"inside style and script", `<style>a[href="x"]{}</style><script>var s='<a href="https://s.test">';</script>`, `<style>a[href="x"]{}</style><script>var s='<a href="https://s.test">';</script>`},
		{"unterminated tag left alone", `<a href="https://s.test`, `<a href="https://s.test`},
		{"no links", `<p>plain & simple</p>`, `<p>plain & simple</p>`},
		{"several links", `<a href="https://a.test">a</a> <a href="mailto:x@y">m</a> <a href="https://b.test">b</a>`,
			`<a ` + w + `https%3A%2F%2Fa.test&amp;m=1">a</a> <a href="mailto:x@y">m</a> <a ` + w + `https%3A%2F%2Fb.test&amp;m=1">b</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, RewriteLinks(tt.in, trackWrap))
		})
	}
}

func TestRewriteLinksWrapDecides(t *testing.T) {
	t.Parallel()
	in := `<a href="https://a.test">a</a><a href="https://skip.test">s</a><a href="https://same.test">x</a>`
	var seen []string
	got := RewriteLinks(in, func(u string) string {
		seen = append(seen, u)
		switch u {
		case "https://skip.test":
			return ""
		case "https://same.test":
			return u
		}
		return `https://t.test/"q"`
	})
	require.Equal(t, []string{"https://a.test", "https://skip.test", "https://same.test"}, seen)
	require.Equal(t, `<a href="https://t.test/&#34;q&#34;">a</a><a href="https://skip.test">s</a><a href="https://same.test">x</a>`, got)
	require.Equal(t, in, RewriteLinks(in, nil))
}

func TestAddOpenPixel(t *testing.T) {
	t.Parallel()
	const img = `<img src="https://t.test/o?m=1&amp;x=&#34;" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`
	tests := []struct{ name, in, want string }{
		{"before body end", "<html><body><p>x</p></body></html>", "<html><body><p>x</p>" + img + "</body></html>"},
		{"case insensitive", "<BODY>x</BODY >", "<BODY>x" + img + "</BODY >"},
		{"last body end", "<body>a</body>junk</body>", "<body>a</body>junk" + img + "</body>"},
		{"no body", "<p>x</p>", "<p>x</p>" + img},
		{"empty", "", img},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, AddOpenPixel(tt.in, `https://t.test/o?m=1&x="`))
		})
	}
	require.Equal(t, "<p>x</p>", AddOpenPixel("<p>x</p>", ""))
}

func TestTrackingAfterRender(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, Template{Name: "e", Channel: ChannelEmail, Subject: "s",
		HTML: `<body><a href="https://shop.test/o/{{ event.properties.order_id }}?a=1&b=2">Order</a> <a href="{{ message.unsubscribe_url }}">Unsubscribe</a></body>`})
	out, err := c.Render(testVars())
	require.NoError(t, err)
	var wrapped []string
	h := RewriteLinks(out.HTML, func(u string) string {
		wrapped = append(wrapped, u)
		if u == "https://cairn.test/u/abc?x=1&y=2" { // the delivery layer knows its unsubscribe URL
			return ""
		}
		return trackWrap(u)
	})
	h = AddOpenPixel(h, "https://t.test/o")
	require.Equal(t, []string{"https://shop.test/o/o-9?a=1&b=2", "https://cairn.test/u/abc?x=1&y=2"}, wrapped)
	require.Contains(t, h, `href="https://t.cairn.test/c?u=https%3A%2F%2Fshop.test%2Fo%2Fo-9%3Fa%3D1%26b%3D2&amp;m=1"`)
	require.Contains(t, h, `href="https://cairn.test/u/abc?x=1&amp;y=2"`)
	require.True(t, strings.HasSuffix(h, `<img src="https://t.test/o" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" /></body>`))
}
