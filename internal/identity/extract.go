package identity

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Blocked is an identifier Extract could not use, with where it was and why.
type Blocked struct {
	store.IdentityKey        // the type, and the value as sent (trimmed)
	Field             string // JSON path in the event, e.g. traits.email
	Reason            string // one of the Reason constants
}

// String describes b for an operator: what, where, and how to fix it.
func (b Blocked) String() string {
	v := b.Value
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	var why string
	switch b.Reason {
	case ReasonBlockedValue:
		why = "is a blocked placeholder value for " + b.Type + "; send the real identifier or leave the field out"
	case ReasonNotEmail:
		why = "is not an email address (it needs a name, '@' and a domain); send a real address or leave it out"
	case ReasonInvalidPhone:
		why = "is not a phone number; send E.164 (+14155550123) or a national number of the configured phone region"
	case ReasonTooLong:
		why = "is longer than " + strconv.Itoa(MaxValueLen) + " bytes; identifiers must be short ids"
	case ReasonInvalidType:
		why = fmt.Sprintf("has type %q; an identifier type is 1 to 64 letters, digits, '_', '.' or '-'", b.Type)
	case ReasonReservedType:
		why = "uses the reserved type previous_id; send a previous id with an alias call instead"
	default:
		why = "cannot be used (" + b.Reason + ")"
	}
	return fmt.Sprintf("%s %q %s", b.Field, v, why)
}

// Extract returns the normalized identifiers of e (keys) and the ones it had
// to ignore (blocked: type and trimmed value as sent), each sorted by
// (priority, type, value) and de-duplicated. p is e's decoded payload (nil
// means empty).
//
//   - identify: userId, anonymousId, traits and context.traits email, phone
//     and Config.TraitKeys, context.externalIds.
//   - alias: userId, previousId (as TypePreviousID), context.externalIds, and
//     anonymousId like track.
//   - track, page, screen, group: userId and context.externalIds always;
//     anonymousId only when there is no usable userId or linkAnonymous is
//     true. groupId is never an identifier.
//
// ExplainBlocked says where and why each blocked value was refused.
func (c Config) Extract(e *event.Event, p *event.Payload, linkAnonymous bool) (keys, blocked []store.IdentityKey) {
	x := extractor{c: c}
	x.run(e, p, linkAnonymous)
	x.sort()
	return x.keys, x.blocked
}

// ExplainBlocked returns the identifiers of e that Extract blocks, in the
// order they appear in the event, with their JSON path and reason. It repeats
// the extraction, so call it only on the rare path (building a rejection).
func (c Config) ExplainBlocked(e *event.Event, p *event.Payload, linkAnonymous bool) []Blocked {
	x := extractor{c: c, explain: true}
	x.run(e, p, linkAnonymous)
	return x.why
}

type extractor struct {
	c       Config
	keys    []store.IdentityKey
	blocked []store.IdentityKey
	explain bool
	why     []Blocked
}

func (x *extractor) run(e *event.Event, p *event.Payload, linkAnonymous bool) {
	if p == nil {
		p = &event.Payload{}
	}
	x.keys = make([]store.IdentityKey, 0, 4)
	user := false
	if e.UserID != "" {
		user = x.add(TypeUserID, e.UserID, "userId")
	}
	switch e.Type {
	case event.Identify:
		linkAnonymous = true
		x.traits(p.Traits, "traits.")
		x.traits(p.Context.Traits, "context.traits.")
	case event.Alias:
		if e.PreviousID != "" {
			x.add(TypePreviousID, e.PreviousID, "previousId")
		}
	}
	if e.AnonymousID != "" && (linkAnonymous || !user) {
		x.add(TypeAnonymousID, e.AnonymousID, "anonymousId")
	}
	for i, ext := range p.Context.ExternalIDs {
		raw, ok := scalar(ext.ID)
		if !ok {
			continue
		}
		t := strings.ToLower(strings.TrimSpace(ext.Type))
		switch {
		case !validType(t):
			x.block(t, strings.TrimSpace(raw), "context.externalIds["+strconv.Itoa(i)+"].type", ReasonInvalidType)
		case t == TypePreviousID:
			x.block(t, strings.TrimSpace(raw), "context.externalIds["+strconv.Itoa(i)+"].type", ReasonReservedType)
		default:
			x.add(t, raw, "context.externalIds["+strconv.Itoa(i)+"].id")
		}
	}
}

// traits reads email, phone and the configured trait keys of one traits object.
func (x *extractor) traits(traits map[string]any, prefix string) {
	if len(traits) == 0 {
		return
	}
	if v, ok := scalar(traits["email"]); ok {
		x.add(TypeEmail, v, prefix+"email")
	}
	if v, ok := scalar(traits["phone"]); ok {
		x.add(TypePhone, v, prefix+"phone")
	}
	for _, k := range x.c.TraitKeys {
		if v, ok := scalar(traits[k]); ok {
			x.add(strings.ToLower(k), v, prefix+k)
		}
	}
}

// add normalizes raw as type t and keeps it or blocks it; it reports whether
// the value was kept.
func (x *extractor) add(t, raw, field string) bool {
	raw = strings.TrimSpace(raw)
	v, reason := x.c.normalize(t, raw)
	if reason != "" {
		x.block(t, raw, field, reason)
		return false
	}
	if !x.explain {
		x.keys = append(x.keys, store.IdentityKey{Type: t, Value: v})
	}
	return true
}

func (x *extractor) block(t, raw, field, reason string) {
	k := store.IdentityKey{Type: t, Value: raw}
	if x.explain {
		x.why = append(x.why, Blocked{IdentityKey: k, Field: field, Reason: reason})
		return
	}
	x.blocked = append(x.blocked, k)
}

func (x *extractor) sort() {
	if len(x.keys) == 0 {
		x.keys = nil
	}
	x.keys = x.c.sortKeys(x.keys)
	if len(x.blocked) > 1 {
		slices.SortFunc(x.blocked, func(a, b store.IdentityKey) int {
			return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value))
		})
		x.blocked = slices.Compact(x.blocked)
	}
}

// sortKeys sorts keys by (priority, type, value) and removes duplicates, in place.
func (c Config) sortKeys(keys []store.IdentityKey) []store.IdentityKey {
	if len(keys) < 2 {
		return keys
	}
	slices.SortFunc(keys, c.compareKeys)
	return slices.Compact(keys)
}

func (c Config) compareKeys(a, b store.IdentityKey) int {
	if a.Type != b.Type {
		if d := cmp.Compare(c.Rule(a.Type).Priority, c.Rule(b.Type).Priority); d != 0 {
			return d
		}
		// previous_id has user_id's priority and comes after the other
		// types of that priority.
		if a.Type == TypePreviousID || b.Type == TypePreviousID {
			return cmp.Compare(boolInt(a.Type == TypePreviousID), boolInt(b.Type == TypePreviousID))
		}
		return strings.Compare(a.Type, b.Type)
	}
	return strings.Compare(a.Value, b.Value)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
