package template

import "strings"

// A small, forgiving HTML tokenizer: enough to find tags and their attributes
// in the email HTML Cairn renders, without a parser dependency. It never
// fails; what it cannot read as a tag it treats as text.

type htmlTokenKind int

const (
	htmlTextTok    htmlTokenKind = iota
	htmlTagTok                   // <name ...> or </name>
	htmlCommentTok               // <!-- ... -->, <!DOCTYPE ...>, <? ... >
	htmlRawTextTok               // the content of script and style
)

type htmlToken struct {
	kind       htmlTokenKind
	start, end int // the token is h[start:end]
	tag        htmlTagInfo
}

type htmlTagInfo struct {
	name    string // lower case
	closing bool
	attrs   []htmlAttr
}

type htmlAttr struct {
	name       string // lower case
	value      string // raw: entities not decoded
	start, end int    // the whole attribute, name through value
}

// attr returns the first attribute called name.
func (t htmlTagInfo) attr(name string) (htmlAttr, bool) {
	for _, a := range t.attrs {
		if a.name == name {
			return a, true
		}
	}
	return htmlAttr{}, false
}

// scanHTML calls fn for each token of h, in order.
func scanHTML(h string, fn func(htmlToken)) {
	i := 0
	for i < len(h) {
		lt := strings.IndexByte(h[i:], '<')
		if lt < 0 {
			fn(htmlToken{kind: htmlTextTok, start: i, end: len(h)})
			return
		}
		lt += i
		if lt > i {
			fn(htmlToken{kind: htmlTextTok, start: i, end: lt})
		}
		rest := h[lt:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(h[lt+4:], "-->")
			if end < 0 {
				end = len(h)
			} else {
				end += lt + 4 + 3
			}
			fn(htmlToken{kind: htmlCommentTok, start: lt, end: end})
			i = end
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				end = len(h)
			} else {
				end += lt + 1
			}
			fn(htmlToken{kind: htmlCommentTok, start: lt, end: end})
			i = end
		case len(rest) > 1 && isASCIILetter(rest[1]) || len(rest) > 2 && rest[1] == '/' && isASCIILetter(rest[2]):
			tag, end, ok := parseHTMLTag(h, lt)
			if !ok {
				fn(htmlToken{kind: htmlTextTok, start: lt, end: len(h)})
				return
			}
			fn(htmlToken{kind: htmlTagTok, start: lt, end: end, tag: tag})
			i = end
			if !tag.closing && (tag.name == "script" || tag.name == "style") {
				closeAt := indexFoldASCII(h, "</"+tag.name, i)
				if closeAt < 0 {
					closeAt = len(h)
				}
				if closeAt > i {
					fn(htmlToken{kind: htmlRawTextTok, start: i, end: closeAt})
				}
				i = closeAt
			}
		default:
			fn(htmlToken{kind: htmlTextTok, start: lt, end: lt + 1})
			i = lt + 1
		}
	}
}

// parseHTMLTag reads the tag starting at h[lt] == '<'. ok is false when the
// tag never closes.
func parseHTMLTag(h string, lt int) (tag htmlTagInfo, end int, ok bool) {
	j := lt + 1
	if h[j] == '/' {
		tag.closing = true
		j++
	}
	ns := j
	for j < len(h) && (isASCIILetter(h[j]) || h[j] >= '0' && h[j] <= '9' || h[j] == '-' || h[j] == ':') {
		j++
	}
	tag.name = strings.ToLower(h[ns:j])
	for {
		for j < len(h) && (isHTMLSpace(h[j]) || h[j] == '/') {
			j++
		}
		if j >= len(h) {
			return tag, 0, false
		}
		if h[j] == '>' {
			return tag, j + 1, true
		}
		as := j
		for j < len(h) && !isHTMLSpace(h[j]) && h[j] != '/' && h[j] != '>' && h[j] != '=' {
			j++
		}
		if j == as { // a stray '='
			j++
			continue
		}
		a := htmlAttr{name: strings.ToLower(h[as:j]), start: as}
		k := j
		for k < len(h) && isHTMLSpace(h[k]) {
			k++
		}
		if k < len(h) && h[k] == '=' {
			k++
			for k < len(h) && isHTMLSpace(h[k]) {
				k++
			}
			if k < len(h) && (h[k] == '"' || h[k] == '\'') {
				e := strings.IndexByte(h[k+1:], h[k])
				if e < 0 {
					return tag, 0, false
				}
				a.value = h[k+1 : k+1+e]
				j = k + 1 + e + 1
			} else {
				vs := k
				for k < len(h) && !isHTMLSpace(h[k]) && h[k] != '>' {
					k++
				}
				a.value = h[vs:k]
				j = k
			}
		}
		a.end = j
		tag.attrs = append(tag.attrs, a)
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// indexFoldASCII finds sub (lower-case ASCII) in s at or after from, ignoring
// ASCII case. It returns -1 if absent.
func indexFoldASCII(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if equalFoldASCII(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// lastIndexFoldASCII is indexFoldASCII searching from the end.
func lastIndexFoldASCII(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if equalFoldASCII(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
