package event

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Reasons of a Reject: stable codes that operators filter on and metrics
// are labelled with. docs/ingest.md lists them with their fixes.
const (
	ReasonInvalidJSONType    = "invalid_json_type"   // a field has the wrong JSON type
	ReasonEventTooLarge      = "event_too_large"     // the event is over MaxEventBytes
	ReasonMissingType        = "missing_type"        // a batch entry has no type
	ReasonBadType            = "bad_type"            // type is not one of the six calls
	ReasonBadMessageID       = "bad_message_id"      // messageId longer than MaxMessageIDBytes
	ReasonBadTimestamp       = "bad_timestamp"       // a timestamp is not RFC 3339
	ReasonMissingIdentifier  = "missing_identifier"  // neither userId nor anonymousId
	ReasonMissingEvent       = "missing_event"       // track without event
	ReasonMissingGroupID     = "missing_group_id"    // group without groupId
	ReasonMissingUserID      = "missing_user_id"     // alias without userId
	ReasonMissingPreviousID  = "missing_previous_id" // alias without previousId
	ReasonUnsupportedUnicode = "unsupported_unicode" // \u0000 or an unpaired surrogate escape
)

// MaxMessageIDBytes caps a client's messageId (it keys deduplication).
const MaxMessageIDBytes = 255

const timestampHelp = "timestamps must be RFC 3339 strings such as 2026-01-02T15:04:05.123Z (0 to 9 fractional digits, Z or a ±hh:mm offset)"

// foldEq reports whether key matches name the way encoding/json matches
// struct fields (exact or case-insensitive), so that every member that
// DecodePayload would read is checked.
func foldEq(key []byte, name string) bool {
	if len(key) == 0 {
		return false
	}
	if key[0] < utf8.RuneSelf && key[0]|0x20 != name[0] {
		return false // ASCII fast path: first letters differ
	}
	return strings.EqualFold(string(key), name)
}

// isObjectOrNull reports whether the value starting with c decodes into a map.
func isObjectOrNull(c byte) bool { return c == '{' || c == 'n' }

// where names an entry for a Detail sentence.
func (p *parser) where(k int) string {
	if p.single {
		return "the event"
	}
	return fmt.Sprintf("batch[%d]", k)
}

// entryPath is the JSON path of entry k ("" for a single event).
func (p *parser) entryPath(k int) string {
	if p.single {
		return ""
	}
	return fmt.Sprintf("batch[%d]", k)
}

// path is the JSON path of a member of entry k.
func (p *parser) path(k int, name string) string {
	if p.single {
		return name
	}
	return fmt.Sprintf("batch[%d].%s", k, name)
}

// quote shows a short, quoted copy of a value in a Detail sentence.
func quote(v []byte) string {
	const n = 64
	if len(v) > n {
		return fmt.Sprintf("%s…", v[:cutUTF8(v, n)])
	}
	return string(v)
}

// wrongType is the Reject for a member of the wrong JSON type.
func (p *parser) wrongType(k int, name string, got byte, want string) reject {
	return reject{
		reason: ReasonInvalidJSONType,
		field:  p.path(k, name),
		detail: fmt.Sprintf("%s is %s; it must be %s", p.path(k, name), kindName(got), want),
	}
}

// required checks the members each call type needs (wire contract §5).
func (p *parser) required(k int, ev *Event, m *members) (reject, bool) {
	switch {
	case ev.Type != Alias && ev.UserID == "" && ev.AnonymousID == "" && !p.traitIdentified(ev, m):
		return reject{
			reason: ReasonMissingIdentifier,
			field:  p.path(k, "userId"),
			detail: fmt.Sprintf("%s (%s) has neither userId nor anonymousId; every call except alias needs one of them (an identify may instead carry traits.email or traits.phone)", p.where(k), ev.Type),
		}, false
	case ev.Type == Track && ev.Name == "":
		return reject{
			reason: ReasonMissingEvent,
			field:  p.path(k, "event"),
			detail: fmt.Sprintf(`%s is a track call without "event"; set event to the action's name, e.g. "Order Completed"`, p.where(k)),
		}, false
	case ev.Type == Group && ev.GroupID == "":
		return reject{
			reason: ReasonMissingGroupID,
			field:  p.path(k, "groupId"),
			detail: fmt.Sprintf(`%s is a group call without "groupId"; set groupId to the account's id`, p.where(k)),
		}, false
	case ev.Type == Alias && ev.UserID == "":
		return reject{
			reason: ReasonMissingUserID,
			field:  p.path(k, "userId"),
			detail: fmt.Sprintf(`%s is an alias call without "userId"; set userId to the id the person is known by from now on`, p.where(k)),
		}, false
	case ev.Type == Alias && ev.PreviousID == "":
		return reject{
			reason: ReasonMissingPreviousID,
			field:  p.path(k, "previousId"),
			detail: fmt.Sprintf(`%s is an alias call without "previousId"; set previousId to the earlier id (often the anonymousId)`, p.where(k)),
		}, false
	}
	return reject{}, true
}

// traitIdentified reports whether an identify call without userId and
// anonymousId still names its person by traits.email or traits.phone — the
// usual shape of 2nd/3rd-party appends keyed by email. Identity resolution
// reads those traits, so such an event can be attributed. (Segment's own API
// requires userId or anonymousId; this is a deliberate superset.)
func (p *parser) traitIdentified(ev *Event, m *members) bool {
	if ev.Type != Identify || m.traits < 0 {
		return false
	}
	f := &p.fields[m.traits]
	var t struct {
		Email any `json:"email"`
		Phone any `json:"phone"`
	}
	if json.Unmarshal(p.s.b[f.vs:f.ve], &t) != nil {
		return false
	}
	for _, v := range []any{t.Email, t.Phone} {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}
