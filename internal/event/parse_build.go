package event

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
	"unsafe"
)

// reject is a Reject before the entry's index, messageId and excerpt are added.
type reject struct {
	reason, field, detail string
}

// members holds the index in parser.fields of the last occurrence of each
// member the parser reads (-1 when absent).
type members struct {
	typ, messageID, userID, anonymousID, previousID, groupID, event, name,
	sentAt, timestamp, originalTimestamp, integrations, context, traits int
}

var noMembers = members{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}

// build is the second pass: it turns the recorded entries into events.
func (p *parser) build() (*Parsed, error) {
	res := &Parsed{}
	if err := p.batchLevel(); err != nil {
		return nil, err
	}
	res.WriteKey = p.writeKey()
	if p.opts.ClientIP != "" {
		p.ipJSON, _ = json.Marshal(p.opts.ClientIP) // a string never fails
	}
	n := len(p.entries)
	extra := 320 + len(p.ipJSON)
	if p.topCtx >= 0 {
		extra += p.top[p.topCtx].ve - p.top[p.topCtx].vs
	}
	if p.topIntegrations >= 0 {
		extra += p.top[p.topIntegrations].ve - p.top[p.topIntegrations].vs
	}
	p.out = make([]byte, 0, len(p.s.b)+n*extra)
	p.strs = make([]byte, 0, n*96)
	slab := make([]Event, 0, n)
	for k, e := range p.entries {
		slab = slab[:len(slab)+1]
		ev := &slab[len(slab)-1]
		if r, ok := p.event(k, e, ev); !ok {
			slab = slab[:len(slab)-1]
			res.Rejects = append(res.Rejects, Reject{
				Index:     k,
				MessageID: ev.MessageID,
				Reason:    r.reason,
				Detail:    r.detail,
				Field:     r.field,
				Excerpt:   p.excerpt(e),
			})
			*ev = Event{}
		}
	}
	if len(slab) > 0 {
		res.Events = make([]*Event, len(slab))
		for i := range slab {
			res.Events[i] = &slab[i]
		}
	}
	return res, nil
}

// batchLevel reads a batch body's top-level context, integrations and sentAt.
func (p *parser) batchLevel() error {
	if p.single {
		return nil
	}
	b := p.s.b
	for _, m := range []struct {
		idx  int
		name string
		dst  *[]field
	}{{p.topCtx, "context", &p.batchCtx}, {p.topIntegrations, "integrations", &p.batchIntegrations}} {
		if m.idx < 0 {
			continue
		}
		f := p.top[m.idx]
		switch b[f.vs] {
		case 'n':
		case '{':
			p.s.badUnicode = false
			*m.dst, _, _ = p.s.object(f.vs, nil) // validated by the first pass
			if p.s.badUnicode {
				return fmt.Errorf(`%w: the top-level %q holds a \u0000 escape or an unpaired UTF-16 surrogate escape, which cannot be stored`, ErrMalformedBody, m.name)
			}
		default:
			return fmt.Errorf("%w: the top-level %q is %s; it must be an object", ErrMalformedBody, m.name, kindName(b[f.vs]))
		}
	}
	if p.topSentAt >= 0 {
		t, present, ok := p.timeValue(&p.top[p.topSentAt])
		p.batchSentAt, p.batchSentAtBad = t, present && !ok
	}
	return nil
}

// writeKey is the top-level writeKey, else the first entry's.
func (p *parser) writeKey() string {
	if p.topWriteKey >= 0 {
		if f := &p.top[p.topWriteKey]; p.s.b[f.vs] == '"' {
			return p.unquote(f.vs, f.ve, false)
		}
	}
	if len(p.entries) == 0 || !p.entries[0].object {
		return ""
	}
	e := p.entries[0]
	for i := e.f1 - 1; i >= e.f0; i-- {
		if f := &p.fields[i]; string(p.s.key(f)) == "writeKey" {
			if p.s.b[f.vs] == '"' {
				return p.unquote(f.vs, f.ve, false)
			}
			return ""
		}
	}
	return ""
}

// event validates entry k and fills ev; on failure it returns the reason
// (ev.MessageID is set when it could be read).
func (p *parser) event(k int, e entry, ev *Event) (reject, bool) {
	b := p.s.b
	if !e.object {
		return reject{
			reason: ReasonInvalidJSONType,
			field:  fmt.Sprintf("batch[%d]", k),
			detail: fmt.Sprintf(`batch[%d] is %s; every batch entry must be an event object such as {"type":"track","event":"Signed Up","userId":"u-1"}`, k, kindName(b[e.start])),
		}, false
	}
	m := noMembers
	for fi := e.f0; fi < e.f1; fi++ {
		f := &p.fields[fi]
		key := p.s.key(f)
		f.drop = true
		switch string(key) {
		case "type":
			m.typ = fi
		case "messageId":
			m.messageID = fi
		case "sentAt":
			m.sentAt = fi
		case "timestamp":
			m.timestamp = fi
		case "originalTimestamp":
			m.originalTimestamp = fi
		case "integrations":
			m.integrations = fi
		case "receivedAt", "writeKey":
		default:
			f.drop = false
			switch string(key) {
			case "userId":
				m.userID = fi
			case "anonymousId":
				m.anonymousID = fi
			case "previousId":
				m.previousID = fi
			case "groupId":
				m.groupID = fi
			case "event":
				m.event = fi
			case "name":
				m.name = fi
			default:
				if foldEq(key, "context") {
					m.context, f.drop = fi, true
				} else if (foldEq(key, "traits") || foldEq(key, "properties")) && !isObjectOrNull(b[f.vs]) {
					return p.wrongType(k, string(key), b[f.vs], "an object"), false
				}
				if foldEq(key, "traits") {
					m.traits = fi
				}
			}
		}
	}
	if m.messageID >= 0 {
		f := &p.fields[m.messageID]
		switch c := b[f.vs]; {
		case c == '"':
			ev.MessageID = p.unquote(f.vs, f.ve, true)
		case c == '-' || (c >= '0' && c <= '9'):
			ev.MessageID = p.str(b[f.vs:f.ve])
		case c != 'n':
			return p.wrongType(k, "messageId", c, "a string"), false
		}
		if n := len(ev.MessageID); n > MaxMessageIDBytes {
			ev.MessageID = ""
			return reject{
				reason: ReasonBadMessageID,
				field:  p.path(k, "messageId"),
				detail: fmt.Sprintf("%s is %d bytes; a messageId may be at most %d bytes (a UUID is best)", p.path(k, "messageId"), n, MaxMessageIDBytes),
			}, false
		}
	}
	if size := e.end - e.start; size > p.opts.MaxEventBytes {
		return reject{
			reason: ReasonEventTooLarge,
			field:  p.entryPath(k),
			detail: fmt.Sprintf("%s is %d bytes; an event may be at most %d bytes: move bulky data out of properties and traits", p.where(k), size, p.opts.MaxEventBytes),
		}, false
	}
	if e.badUnicode {
		return reject{
			reason: ReasonUnsupportedUnicode,
			field:  p.entryPath(k),
			detail: fmt.Sprintf(`%s holds a \u0000 escape or an unpaired UTF-16 surrogate escape, which cannot be stored; send valid Unicode text`, p.where(k)),
		}, false
	}
	if r, ok := p.eventType(k, m.typ, ev); !ok {
		return r, false
	}
	for _, id := range []struct {
		idx  int
		name string
		dst  *string
		need bool
	}{
		{m.userID, "userId", &ev.UserID, true},
		{m.anonymousID, "anonymousId", &ev.AnonymousID, true},
		{m.previousID, "previousId", &ev.PreviousID, true},
		{m.groupID, "groupId", &ev.GroupID, true},
		{m.event, "event", &ev.Name, ev.Type == Track},
		{m.name, "name", &ev.Name, ev.Type == Page || ev.Type == Screen},
	} {
		if id.idx < 0 || !id.need {
			continue
		}
		f := &p.fields[id.idx]
		switch c := b[f.vs]; {
		case c == '"':
			*id.dst = p.unquote(f.vs, f.ve, true)
		case c == '-' || (c >= '0' && c <= '9'):
			*id.dst = p.str(b[f.vs:f.ve])
		case c != 'n':
			return p.wrongType(k, id.name, c, "a string or a number"), false
		}
	}
	if r, ok := p.timestamps(k, &m, ev); !ok {
		return r, false
	}
	if r, ok := p.required(k, ev, &m); !ok {
		return r, false
	}
	return p.raw(k, e, &m, ev)
}

// eventType sets ev.Type from the type member, or from the path.
func (p *parser) eventType(k, idx int, ev *Event) (reject, bool) {
	b := p.s.b
	if idx < 0 || b[p.fields[idx].vs] == 'n' {
		if p.single {
			ev.Type = p.opts.CallType
			return reject{}, true
		}
		return reject{
			reason: ReasonMissingType,
			field:  p.path(k, "type"),
			detail: fmt.Sprintf(`%s has no "type"; set it to identify, track, page, screen, group or alias`, p.where(k)),
		}, false
	}
	f := &p.fields[idx]
	if b[f.vs] == '"' {
		name := b[f.vs+1 : f.ve-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			name = []byte(p.unquote(f.vs, f.ve, false))
		}
		for _, t := range [...]Type{Identify, Track, Page, Screen, Group, Alias} {
			if string(name) == string(t) {
				ev.Type = t
				return reject{}, true
			}
		}
	}
	return reject{
		reason: ReasonBadType,
		field:  p.path(k, "type"),
		detail: fmt.Sprintf("%s is %s; it must be one of identify, track, page, screen, group, alias", p.path(k, "type"), quote(b[f.vs:f.ve])),
	}, false
}

// timestamps reads the three client timestamps and applies the correction.
func (p *parser) timestamps(k int, m *members, ev *Event) (reject, bool) {
	bad := func(name string, v []byte) reject {
		return reject{
			reason: ReasonBadTimestamp,
			field:  p.path(k, name),
			detail: fmt.Sprintf("%s is %s; %s", p.path(k, name), quote(v), timestampHelp),
		}
	}
	var ts [3]time.Time
	for i, idx := range [3]int{m.sentAt, m.originalTimestamp, m.timestamp} {
		if idx < 0 {
			continue
		}
		f := &p.fields[idx]
		t, present, ok := p.timeValue(f)
		if present && !ok {
			return bad(string(p.s.key(f)), p.s.b[f.vs:f.ve]), false
		}
		ts[i] = t
	}
	sent, original := ts[0], ts[1]
	if sent.IsZero() && !p.single {
		if p.batchSentAtBad {
			f := &p.top[p.topSentAt]
			return reject{
				reason: ReasonBadTimestamp,
				field:  "sentAt",
				detail: fmt.Sprintf("the top-level sentAt is %s and %s has none of its own; %s", quote(p.s.b[f.vs:f.ve]), p.where(k), timestampHelp),
			}, false
		}
		sent = p.batchSentAt
	}
	if original.IsZero() {
		original = ts[2]
	}
	ev.ReceivedAt, ev.SentAt, ev.OriginalTimestamp = p.opts.ReceivedAt, sent, original
	ev.Timestamp = CorrectTimestamp(p.opts.ReceivedAt, sent, original)
	return reject{}, true
}

// timeValue reads a timestamp member: null and "" are absent.
func (p *parser) timeValue(f *field) (t time.Time, present, ok bool) {
	b := p.s.b
	switch b[f.vs] {
	case 'n':
		return time.Time{}, false, true
	case '"':
		raw := b[f.vs+1 : f.ve-1]
		if len(raw) == 0 {
			return time.Time{}, false, true
		}
		if bytes.IndexByte(raw, '\\') >= 0 {
			var s string
			_ = json.Unmarshal(b[f.vs:f.ve], &s) // validated by the first pass
			raw = []byte(s)
		}
		t, ok := ParseTimestamp(raw)
		return t, true, ok
	}
	return time.Time{}, true, false
}

// unquote returns the string value at b[vs:ve] (a JSON string).
func (p *parser) unquote(vs, ve int, keep bool) string {
	raw := p.s.b[vs+1 : ve-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		if keep {
			return p.str(raw)
		}
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(p.s.b[vs:ve], &s) // validated by the first pass
	return s
}

// str copies v into the append-only strs buffer and returns it as a string
// without a second copy. This is safe because strs is never written below
// its length and is not reused after Parse returns.
func (p *parser) str(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	start := len(p.strs)
	p.strs = append(p.strs, v...)
	return unsafe.String(&p.strs[start], len(v))
}

// excerpt is at most 1 KiB of entry e, cut on a rune boundary.
func (p *parser) excerpt(e entry) string {
	v := p.s.b[e.start:e.end]
	if len(v) > excerptBytes {
		v = v[:cutUTF8(v, excerptBytes)]
	}
	return string(v)
}

// cutUTF8 returns the largest n' <= n that does not split a rune of v.
func cutUTF8(v []byte, n int) int {
	for n > 0 && n < len(v) && !utf8.RuneStart(v[n]) {
		n--
	}
	return n
}

// newUUID appends a random (version 4) UUID to dst.
func newUUID(dst []byte) []byte {
	var u [16]byte
	_, _ = rand.Read(u[:]) // never fails (crypto/rand aborts the program instead)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hexDigits = "0123456789abcdef"
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return dst
}
