package template

import (
	"html"
	"strings"
)

// NoTrackAttr on an <a> tag keeps RewriteLinks away from that link.
const NoTrackAttr = "data-cairn-notrack"

// RewriteLinks returns h with the href of every trackable <a> link replaced by
// wrap(original), for click tracking. wrap receives the URL with HTML entities
// decoded and returns the tracking URL (which is escaped on the way back in);
// returning "" or the original leaves the link alone.
//
// Trackable means an absolute http or https URL. Left alone: mailto:, tel:
// and other schemes, #anchors, relative URLs, any URL containing
// "unsubscribe" (the unsubscribe link must work without the tracker), links
// carrying the data-cairn-notrack attribute, and anything inside comments,
// <script> or <style>.
func RewriteLinks(h string, wrap func(original string) string) string {
	if wrap == nil {
		return h
	}
	var b strings.Builder
	last := 0
	scanHTML(h, func(tok htmlToken) {
		if tok.kind != htmlTagTok || tok.tag.closing || tok.tag.name != "a" {
			return
		}
		href, ok := tok.tag.attr("href")
		if !ok {
			return
		}
		if _, off := tok.tag.attr(NoTrackAttr); off {
			return
		}
		orig := strings.TrimSpace(html.UnescapeString(href.value))
		if !trackableURL(orig) {
			return
		}
		wrapped := wrap(orig)
		if wrapped == "" || wrapped == orig {
			return
		}
		if b.Len() == 0 {
			b.Grow(len(h) + 256)
		}
		b.WriteString(h[last:href.start])
		b.WriteString(`href="`)
		b.WriteString(html.EscapeString(wrapped))
		b.WriteString(`"`)
		last = href.end
	})
	if last == 0 {
		return h
	}
	b.WriteString(h[last:])
	return b.String()
}

// trackableURL reports whether a link should be wrapped for click tracking.
func trackableURL(u string) bool {
	lower := strings.ToLower(u)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return false
	}
	return !strings.Contains(lower, "unsubscribe")
}

// AddOpenPixel returns h with a 1×1 open-tracking image of pixelURL placed
// just before </body>, or at the end when there is no </body>. An empty
// pixelURL returns h unchanged.
func AddOpenPixel(h, pixelURL string) string {
	if pixelURL == "" {
		return h
	}
	img := `<img src="` + html.EscapeString(pixelURL) +
		`" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`
	i := lastIndexFoldASCII(h, "</body")
	if i < 0 {
		return h + img
	}
	return h[:i] + img + h[i:]
}
