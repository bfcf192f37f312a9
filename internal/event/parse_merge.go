package event

import (
	"bytes"
	"time"
	"unsafe"
)

// raw checks the event's context and integrations, merges the batch-level
// ones into them (the event's keys win, key by key at the top level) and
// writes the normalized JSON into ev.Raw.
func (p *parser) raw(k int, e entry, m *members, ev *Event) (reject, bool) {
	b := p.s.b
	var ownCtx, ownIntegrations *field
	if m.context >= 0 {
		ownCtx = &p.fields[m.context]
		if c := b[ownCtx.vs]; !isObjectOrNull(c) {
			return p.wrongType(k, string(p.s.key(ownCtx)), c, "an object"), false
		}
	}
	if m.integrations >= 0 {
		ownIntegrations = &p.fields[m.integrations]
		if c := b[ownIntegrations.vs]; !isObjectOrNull(c) {
			return p.wrongType(k, "integrations", c, "an object"), false
		}
	}
	var nOwn int
	p.merged, nOwn = p.mergeMembers(ownCtx, p.batchCtx, p.merged)
	fillIP, r, ok := p.checkContext(k, nOwn)
	if !ok {
		return r, false
	}

	if ev.MessageID == "" {
		start := len(p.strs)
		p.strs = newUUID(p.strs)
		ev.MessageID = unsafe.String(&p.strs[start], len(p.strs)-start)
	}

	start := len(p.out)
	p.out = append(p.out, '{')
	first := p.writeMembers(p.fields[e.f0:e.f1], true, false)
	if !first {
		p.out = append(p.out, ',')
	}
	p.out = append(p.out, `"type":"`...)
	p.out = append(p.out, ev.Type...)
	p.out = append(p.out, `","messageId":`...)
	if f := m.messageID; f >= 0 && b[p.fields[f].vs] == '"' && p.fields[f].ve-p.fields[f].vs > 2 {
		p.out = append(p.out, b[p.fields[f].vs:p.fields[f].ve]...)
	} else {
		p.out = append(p.out, '"')
		p.out = append(p.out, ev.MessageID...)
		p.out = append(p.out, '"')
	}
	if (ownCtx != nil && b[ownCtx.vs] == '{') || len(p.merged) > 0 || fillIP {
		p.out = append(p.out, `,"context":{`...)
		first := p.writeMembers(p.merged, true, fillIP)
		if fillIP {
			if !first {
				p.out = append(p.out, ',')
			}
			p.out = append(p.out, `"ip":`...)
			p.out = append(p.out, p.ipJSON...)
		}
		p.out = append(p.out, '}')
	}
	p.merged, _ = p.mergeMembers(ownIntegrations, p.batchIntegrations, p.merged)
	if (ownIntegrations != nil && b[ownIntegrations.vs] == '{') || len(p.merged) > 0 {
		p.out = append(p.out, `,"integrations":{`...)
		p.writeMembers(p.merged, true, false)
		p.out = append(p.out, '}')
	}
	p.appendTime(`,"receivedAt":"`, ev.ReceivedAt)
	if !ev.SentAt.IsZero() {
		p.appendTime(`,"sentAt":"`, ev.SentAt)
	}
	if !ev.OriginalTimestamp.IsZero() {
		p.appendTime(`,"originalTimestamp":"`, ev.OriginalTimestamp)
	}
	p.appendTime(`,"timestamp":"`, ev.Timestamp)
	p.out = append(p.out, '}')
	ev.Raw = p.out[start:len(p.out):len(p.out)]
	return reject{}, true
}

func (p *parser) appendTime(prefix string, t time.Time) {
	p.out = append(p.out, prefix...)
	p.out = t.AppendFormat(p.out, time.RFC3339Nano)
	p.out = append(p.out, '"')
}

// mergeMembers sets dst to the members of own (an object or null, may be
// nil) followed by the batch members whose key own lacks, and returns how
// many came from own.
func (p *parser) mergeMembers(own *field, batch []field, dst []field) ([]field, int) {
	dst = dst[:0]
	if own != nil && p.s.b[own.vs] == '{' {
		dst, _, _ = p.s.object(own.vs, dst) // validated by the first pass
	}
	nOwn := len(dst)
	for i := range batch {
		key := p.s.key(&batch[i])
		found := false
		for j := range nOwn {
			if bytes.Equal(p.s.key(&dst[j]), key) {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, batch[i])
		}
	}
	return dst, nOwn
}

// checkContext checks the merged context members that DecodePayload reads,
// so that a stored event always decodes, and reports whether context.ip
// must be filled in.
func (p *parser) checkContext(k, nOwn int) (fillIP bool, r reject, ok bool) {
	b := p.s.b
	hasIP := false
	for i := range p.merged {
		f := &p.merged[i]
		key := p.s.key(f)
		c := b[f.vs]
		var want string
		switch {
		case foldEq(key, "ip"):
			if c == '"' {
				hasIP = true
			} else if c != 'n' {
				want = "a string"
			}
		case foldEq(key, "traits") || foldEq(key, "campaign"):
			if !isObjectOrNull(c) {
				want = "an object"
			}
		case foldEq(key, "externalIds"):
			if !p.validExternalIDs(f) {
				want = `an array of {"id":…,"type":"…"} objects`
			}
		}
		if want != "" {
			name := "context." + string(key)
			if i >= nOwn {
				return false, reject{
					reason: ReasonInvalidJSONType,
					field:  name,
					detail: "the top-level " + name + " is " + kindName(c) + "; it must be " + want,
				}, false
			}
			return false, p.wrongType(k, name, c, want), false
		}
	}
	return p.ipJSON != nil && !hasIP, reject{}, true
}

// validExternalIDs reports whether context.externalIds decodes into []ExternalID.
func (p *parser) validExternalIDs(f *field) bool {
	b := p.s.b
	switch b[f.vs] {
	case 'n':
		return true
	case '[':
	default:
		return false
	}
	i := skipWS(b, f.vs+1)
	if b[i] == ']' {
		return true
	}
	for {
		st, end, _ := p.s.value(i) // validated by the first pass
		switch b[st] {
		case 'n':
		case '{':
			p.scratch, _, _ = p.s.object(st, p.scratch[:0])
			for j := range p.scratch {
				if c := b[p.scratch[j].vs]; foldEq(p.s.key(&p.scratch[j]), "type") && c != '"' && c != 'n' {
					return false
				}
			}
		default:
			return false
		}
		i = skipWS(b, end)
		if b[i] != ',' {
			return true
		}
		i = skipWS(b, i+1)
	}
}

// writeMembers writes the members not marked drop, comma-separated, and
// reports whether it wrote none. skipNullIP leaves out "ip": null members
// (context.ip is about to be filled in).
func (p *parser) writeMembers(fields []field, first, skipNullIP bool) bool {
	b := p.s.b
	for i := range fields {
		f := &fields[i]
		if f.drop || (skipNullIP && b[f.vs] == 'n' && foldEq(p.s.key(f), "ip")) {
			continue
		}
		if !first {
			p.out = append(p.out, ',')
		}
		first = false
		p.out = append(p.out, '"')
		p.out = append(p.out, b[f.ks:f.ke]...)
		p.out = append(p.out, '"', ':')
		p.out = append(p.out, b[f.vs:f.ve]...)
	}
	return first
}
