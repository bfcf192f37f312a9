package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

func (r *Reader) nextJSONL() (Row, error) {
	for {
		line, err := r.lines.next()
		if errors.Is(err, errLineTooLong) {
			return Row{}, r.reject(r.lines.n, "", "line is longer than 1 MiB; an event may be at most 32 KiB", line[:min(len(line), maxRawBytes)])
		}
		if err != nil {
			return Row{}, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		n := r.lines.n
		r.raw = line
		if !utf8.Valid(line) {
			return Row{}, r.reject(n, "", badUTF8(line), line)
		}
		if line[0] != '{' {
			return Row{}, r.reject(n, "", "not a JSON object — each line must hold one {...} object (JSON Lines)", line)
		}
		if !json.Valid(line) {
			var v any
			return Row{}, r.reject(n, "", "invalid JSON: "+jsonErrText(json.Unmarshal(line, &v)), line)
		}
		r.members = scanObject(line, r.members[:0])
		var ev []byte
		var re *RowError
		if t, ok := lookup(r.members, "type"); ok && (r.plan == nil || segmentType(t) != "") {
			ev, re = r.buildFull()
		} else {
			if r.plan == nil {
				if !r.emitted {
					return Row{}, fmt.Errorf("%w: line %d has no Segment \"type\": a flat object needs --id-column (and --kind, --map as needed); or give every line a \"type\"", ErrInvalidSpec, n)
				}
				return Row{}, r.reject(n, "type", `no "type": this line is not a Segment event, and flat rows need --id-column`, line)
			}
			for i, c := range r.plan.columns {
				v, ok := lookup(r.members, c)
				r.cells[i] = cell{b: v, json: true, ok: ok && len(v) > 0}
			}
			ev, re = r.buildFlat()
		}
		if re != nil {
			re.Line, re.Raw = n, bytes.Clone(line)
			return Row{}, re
		}
		return Row{Line: n, Event: ev}, nil
	}
}

// buildFull checks a full Segment event and gives it a messageId when it has none.
func (r *Reader) buildFull() ([]byte, *RowError) {
	get := func(key string) []byte { v, _ := lookup(r.members, key); return v }
	typ := segmentType(get("type"))
	if typ == "" {
		return nil, &RowError{Column: "type", Reason: `"type" must be one of identify, track, page, screen, group, alias`}
	}
	need := func(key string) *RowError {
		if _, ok := jsonText(get(key)); !ok {
			return &RowError{Column: key, Reason: fmt.Sprintf("a %s event needs %q (a non-empty string or a number)", typ, key)}
		}
		return nil
	}
	switch typ {
	case "alias":
		if re := need("userId"); re != nil {
			return nil, re
		}
		if re := need("previousId"); re != nil {
			return nil, re
		}
	default:
		_, user := jsonText(get("userId"))
		_, anon := jsonText(get("anonymousId"))
		if !user && !anon && !r.hasEmail(typ) {
			return nil, &RowError{Column: "userId", Reason: "missing identifier: give userId, anonymousId or an email in traits (context.traits for non-identify events)"}
		}
	}
	switch typ {
	case "track":
		if ev := get("event"); len(ev) == 0 || ev[0] != '"' {
			return nil, &RowError{Column: "event", Reason: `a track event needs "event", a non-empty string`}
		} else if _, ok := jsonText(ev); !ok {
			return nil, &RowError{Column: "event", Reason: `a track event needs "event", a non-empty string`}
		}
	case "group":
		if re := need("groupId"); re != nil {
			return nil, re
		}
	}
	if ts, ok := lookup(r.members, "timestamp"); ok && string(ts) != "null" {
		text, isStr := []byte(nil), len(ts) > 0 && ts[0] == '"'
		if isStr {
			text, _ = jsonText(ts)
		}
		if !isStr {
			return nil, &RowError{Column: "timestamp", Reason: "timestamp must be an RFC 3339 string"}
		}
		if _, err := time.Parse(time.RFC3339Nano, string(text)); err != nil {
			return nil, &RowError{Column: "timestamp", Reason: fmt.Sprintf("timestamp %q is not RFC 3339 (2024-05-01T13:45:00Z)", truncate(text, 64))}
		}
	}

	mid, hasMID := lookup(r.members, "messageId")
	switch {
	case hasMID && len(mid) > 0 && mid[0] == '"' && string(mid) != `""`:
		b := r.buf[:0]
		r.scratch.Reset()
		_ = json.Compact(&r.scratch, r.raw) // the line is valid JSON
		b = append(b, r.scratch.Bytes()...)
		r.buf = b
		if len(b) > maxEventBytes {
			return nil, &RowError{Reason: fmt.Sprintf("the event is %d bytes, over the 32 KiB limit per event", len(b))}
		}
		return b, nil
	case hasMID && string(mid) != "null" && string(mid) != `""`:
		return nil, &RowError{Column: "messageId", Reason: "messageId must be a string; leave it out to have one generated"}
	}
	// No messageId: derive one from the event's canonical form (keys sorted,
	// whitespace removed), written out as the event itself.
	b, start := r.beginEvent(typ)
	b = append(b, '{')
	first := true
	for _, m := range sortedUnique(r.members) {
		if string(m.key) == "messageId" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, m.key)
		b = append(b, ':')
		b = appendCompact(b, m.val, &r.scratch)
	}
	return r.finishEvent(b, start)
}

// hasEmail reports whether the event carries traits.email (identify) or
// context.traits.email (other types). Keys match exactly, as the server
// reads them.
func (r *Reader) hasEmail(typ string) bool {
	v, _ := lookup(r.members, "traits")
	if typ == "identify" && isEmail(field(v, "email")) {
		return true
	}
	v, _ = lookup(r.members, "context")
	return isEmail(field(field(v, "traits"), "email"))
}

// field returns obj[key] when obj is a JSON object, else nil.
func field(obj []byte, key string) []byte {
	if len(obj) == 0 || obj[0] != '{' {
		return nil
	}
	v, _ := lookup(scanObject(obj, nil), key)
	return v
}

func isEmail(raw []byte) bool {
	if len(raw) == 0 || raw[0] != '"' {
		return false
	}
	t, ok := jsonText(raw)
	return ok && looksLikeEmail(bytes.TrimSpace(t))
}

// segmentType returns the call type a raw JSON "type" names, or "". (The
// six names of the Segment spec; internal/event has the same list.)
func segmentType(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' {
		return ""
	}
	switch t := string(raw[1 : len(raw)-1]); t {
	case "identify", "track", "page", "screen", "group", "alias":
		return t
	}
	return ""
}

func jsonErrText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	if err == nil {
		return "not valid JSON"
	}
	return err.Error()
}
