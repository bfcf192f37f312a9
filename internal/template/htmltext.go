package template

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HTMLToText derives a plain-text alternative from email HTML: it drops
// <head>, <script>, <style> and comments, decodes entities, collapses
// whitespace (except in <pre>), breaks lines at block elements and <br>,
// bullets list items with "- ", keeps image alt text, and prints a link's URL
// after its text ("Shop now (https://…)") unless the text already is the URL.
func HTMLToText(h string) string {
	c := textConverter{src: h}
	scanHTML(h, c.token)
	return c.w.String()
}

type textConverter struct {
	src   string
	w     textWriter
	skip  int // inside head or title
	pre   int // inside pre
	links []linkMark
}

type linkMark struct {
	href string
	mark int // output length when the link opened
}

// blockBreaks is how many line breaks a block element's edges make.
var blockBreaks = map[string]int{
	"p": 2, "h1": 2, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2, "blockquote": 2,
	"table": 2, "ul": 2, "ol": 2, "pre": 2, "hr": 2, "dl": 2,
	"div": 1, "tr": 1, "li": 1, "section": 1, "article": 1, "header": 1, "footer": 1,
	"center": 1, "dd": 1, "dt": 1, "form": 1, "tbody": 1, "thead": 1, "tfoot": 1, "address": 1,
}

func (c *textConverter) token(tok htmlToken) {
	switch tok.kind {
	case htmlTextTok:
		if c.skip == 0 {
			c.w.text(html.UnescapeString(c.src[tok.start:tok.end]), c.pre > 0)
		}
	case htmlTagTok:
		c.tag(tok.tag)
	}
}

func (c *textConverter) tag(t htmlTagInfo) {
	switch t.name {
	case "head", "title":
		c.skip = adjust(c.skip, t.closing)
		return
	case "pre":
		c.pre = adjust(c.pre, t.closing)
	case "br":
		c.w.lineBreak()
		return
	case "td", "th":
		c.w.space()
		return
	case "img":
		if alt, ok := t.attr("alt"); ok && !t.closing && c.skip == 0 {
			c.w.text(html.UnescapeString(alt.value), false)
		}
		return
	case "a":
		c.link(t)
		return
	}
	if n, ok := blockBreaks[t.name]; ok {
		c.w.block(n)
		if t.name == "hr" && !t.closing {
			c.w.text("---", true)
			c.w.block(n)
		}
		if t.name == "li" && !t.closing {
			c.w.text("- ", true)
		}
	}
}

func (c *textConverter) link(t htmlTagInfo) {
	if !t.closing {
		href := ""
		if a, ok := t.attr("href"); ok {
			href = strings.TrimSpace(html.UnescapeString(a.value))
		}
		c.links = append(c.links, linkMark{href: href, mark: c.w.b.Len()})
		return
	}
	if len(c.links) == 0 {
		return
	}
	l := c.links[len(c.links)-1]
	c.links = c.links[:len(c.links)-1]
	shown := l.href
	lower := strings.ToLower(l.href)
	switch {
	case strings.HasPrefix(lower, "mailto:"):
		shown = l.href[len("mailto:"):]
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "tel:"):
	default:
		return // anchors, javascript:, relative links: nothing useful to print
	}
	text := ""
	if l.mark <= c.w.b.Len() {
		text = strings.TrimSpace(c.w.b.String()[l.mark:])
	}
	switch text {
	case "":
		c.w.text(shown, false)
	case shown, l.href:
	default:
		c.w.text(" ("+shown+")", false)
	}
}

func adjust(depth int, closing bool) int {
	if closing {
		return max(0, depth-1)
	}
	return depth + 1
}

// textWriter collapses whitespace and line breaks as text is written.
type textWriter struct {
	b            strings.Builder
	newlines     int  // pending line breaks
	pendingSpace bool // a pending space
	trailing     int  // line breaks at the end of b
}

// text writes s, collapsing its whitespace unless pre is set.
func (w *textWriter) text(s string, pre bool) {
	if pre {
		w.flush()
		w.b.WriteString(s)
		w.trailing = trailingNewlines(s, w.trailing)
		return
	}
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if unicode.IsSpace(r) {
			w.pendingSpace = true
			continue
		}
		w.flush()
		w.b.WriteRune(r)
		w.trailing = 0
	}
}

func (w *textWriter) block(n int) {
	w.newlines = max(w.newlines, n)
	w.pendingSpace = false
}

func (w *textWriter) lineBreak() {
	w.flush()
	w.b.WriteByte('\n')
	w.trailing++
	w.pendingSpace = false
}

func (w *textWriter) space() {
	w.pendingSpace = true
}

// flush writes the pending break or space before new text.
func (w *textWriter) flush() {
	switch {
	case w.b.Len() == 0:
	case w.newlines > 0:
		for n := w.trailing; n < w.newlines; n++ {
			w.b.WriteByte('\n')
		}
		w.trailing = max(w.trailing, w.newlines)
	case w.pendingSpace && w.trailing == 0:
		w.b.WriteByte(' ')
	}
	w.newlines, w.pendingSpace = 0, false
}

func (w *textWriter) String() string {
	return strings.TrimRight(w.b.String(), " \n")
}

func trailingNewlines(s string, prev int) int {
	n := len(s) - len(strings.TrimRight(s, "\n"))
	if n == len(s) {
		return prev + n
	}
	return n
}
