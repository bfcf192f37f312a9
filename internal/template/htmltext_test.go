package template

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"empty", "", ""},
		{"whitespace collapses", "  a \n\t b   c  ", "a b c"},
		{"entities", "Tom &amp; Jerry &lt;3 &quot;hi&quot; &#39;x&#39; caf&eacute;&nbsp;!", `Tom & Jerry <3 "hi" 'x' café !`},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"headings and divs", "<h1>Title</h1><div>a</div><div>b</div>", "Title\n\na\nb"},
		{"br", "a<br>b<br/>c<BR />d", "a\nb\nc\nd"},
		{"double br", "a<br><br>b", "a\n\nb"},
		{"inline tags", "a <b>bold</b> and <i>it</i>.", "a bold and it."},
		{"list", "<ul><li>one</li><li>two</li></ul><p>after</p>", "- one\n- two\n\nafter"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"link with text", `<a href="https://s.test/x">Shop now</a>`, "Shop now (https://s.test/x)"},
		{"link text is url", `<a href="https://s.test">https://s.test</a>`, "https://s.test"},
		{"link with entity", `<a href="https://s.test/?a=1&amp;b=2">go</a>`, "go (https://s.test/?a=1&b=2)"},
		{"image link", `<a href="https://s.test"><img src="x.png" alt=""></a>`, "https://s.test"},
		{"mailto", `Mail <a href="mailto:help@s.test">us</a>.`, "Mail us (help@s.test)."},
		{"mailto text is address", `<a href="mailto:help@s.test">help@s.test</a>`, "help@s.test"},
		{"anchor link", `<a href="#top">Top</a>`, "Top"},
		{"image alt", `<img src="logo.png" alt="Cairn &amp; Co">`, "Cairn & Co"},
		{"head, style and script dropped", `<html><head><title>T</title><style>p{color:red}</style></head><body><script>x()</script><p>body</p></body></html>`, "body"},
		{"comments dropped", "a<!-- hidden -->b<!--[if mso]>mso<![endif]-->c", "abc"},
		{"doctype dropped", "<!DOCTYPE html><p>x</p>", "x"},
		{"pre keeps whitespace", "<pre>a  b\n  c</pre><p>d  e</p>", "a  b\n  c\n\nd e"},
		{"hr", "a<hr>b", "a\n\n---\n\nb"},
		{"stray less-than", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"unterminated tag", "a <b", "a <b"},
		{"nested blocks", "<div><div><p>x</p></div></div><div>y</div>", "x\n\ny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, HTMLToText(tt.in))
		})
	}
}
