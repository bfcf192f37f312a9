package identity

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// The built-in identifier types. Any other type name (from
// context.externalIds or Config.TraitKeys) is a custom type.
const (
	TypeUserID      = "user_id"
	TypeAnonymousID = "anonymous_id"
	TypeEmail       = "email"
	TypePhone       = "phone"
	// TypePreviousID is the alias call's previousId as Extract returns it.
	// Resolve turns it into a user_id when a profile holds that user_id (or
	// the event itself carries it), else into an anonymous_id; it is never
	// linked under this type.
	TypePreviousID = "previous_id"
)

// DefaultPhoneRegion is the region used to read phone numbers written without
// a country code when Config.PhoneRegion is empty.
const DefaultPhoneRegion = "US"

// MaxValueLen is the longest identifier value accepted, in bytes after
// trimming; longer values are blocked (reason too_long).
const MaxValueLen = 1024

// Rule is the merge protection of one identifier type.
type Rule struct {
	// Limit is the most distinct values of this type one profile may hold;
	// 0 means unlimited.
	Limit int `json:"limit"`
	// Priority orders types when identifiers conflict: 1 is the highest.
	// Equal priorities are ordered by type name.
	Priority int `json:"priority"`
	// Blocked values are never used as identifiers (compared
	// case-insensitively with the trimmed and with the normalized value).
	Blocked []string `json:"blocked,omitempty"`
}

// Config is the identity resolution configuration.
type Config struct {
	// Rules maps an identifier type to its rule.
	Rules map[string]Rule `json:"rules"`
	// Custom is the rule of every type that has no entry in Rules
	// (custom types from context.externalIds and TraitKeys).
	Custom Rule `json:"custom"`
	// TraitKeys are identify trait keys read as custom identifiers, e.g.
	// loyalty_id; the identifier type is the key lower-cased.
	TraitKeys []string `json:"trait_keys,omitempty"`
	// PhoneRegion is the ISO 3166 region assumed for phone numbers without a
	// country code; empty means DefaultPhoneRegion.
	PhoneRegion string `json:"phone_region,omitempty"`
}

// DefaultBlocked returns the values blocked for every type by default.
func DefaultBlocked() []string {
	return []string{
		"", "null", "undefined", "none", "nil", "0", "-1",
		"test@test.com", "test@example.com", "anonymous", "unknown", "n/a",
	}
}

// DefaultConfig returns the documented defaults: user_id limit 1 priority 1,
// email limit 5 priority 2, phone limit 5 priority 3, custom types limit 5
// priority 4, anonymous_id unlimited priority 5, DefaultBlocked for every
// type, phone region US.
func DefaultConfig() Config {
	return Config{
		Rules: map[string]Rule{
			TypeUserID:      {Limit: 1, Priority: 1, Blocked: DefaultBlocked()},
			TypeEmail:       {Limit: 5, Priority: 2, Blocked: DefaultBlocked()},
			TypePhone:       {Limit: 5, Priority: 3, Blocked: DefaultBlocked()},
			TypeAnonymousID: {Limit: 0, Priority: 5, Blocked: DefaultBlocked()},
		},
		Custom:      Rule{Limit: 5, Priority: 4, Blocked: DefaultBlocked()},
		PhoneRegion: DefaultPhoneRegion,
	}
}

// Validate reports every problem of c at once, each wrapping ErrInvalidConfig.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	types := make([]string, 0, len(c.Rules))
	for t := range c.Rules {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		switch {
		case t == TypePreviousID:
			bad("rules: %q is reserved for alias previousId; configure user_id and anonymous_id instead", t)
		case !validType(t):
			bad("rules: type %q must be lower-case letters, digits, '_', '.' or '-' (at most 64)", t)
		}
		validateRule("rules."+t, c.Rules[t], bad)
	}
	validateRule("custom", c.Custom, bad)
	seen := make(map[string]bool, len(c.TraitKeys))
	for i, k := range c.TraitKeys {
		t := strings.ToLower(k)
		switch {
		case k != strings.TrimSpace(k) || !validType(t):
			bad("trait_keys[%d]: %q must be letters, digits, '_', '.' or '-' (at most 64)", i, k)
		case t == TypeUserID || t == TypeAnonymousID || t == TypePreviousID || t == TypeEmail || t == TypePhone:
			bad("trait_keys[%d]: %q is a built-in identifier; remove it", i, k)
		case seen[t]:
			bad("trait_keys[%d]: %q is listed twice", i, k)
		}
		seen[t] = true
	}
	if c.PhoneRegion != "" && !phonenumbers.GetSupportedRegions()[c.PhoneRegion] {
		bad("phone_region: %q is not a supported ISO 3166 region code (e.g. US, GB, DE)", c.PhoneRegion)
	}
	return errors.Join(errs...)
}

func validateRule(where string, r Rule, bad func(string, ...any)) {
	if r.Limit < 0 {
		bad("%s: limit %d must be 0 (unlimited) or more", where, r.Limit)
	}
	if r.Priority < 1 {
		bad("%s: priority %d must be 1 (highest) or more", where, r.Priority)
	}
}

// Rule returns the rule that applies to identifier type t: its entry in
// Rules, else Custom. previous_id follows user_id's rule.
func (c Config) Rule(t string) Rule {
	if t == TypePreviousID {
		t = TypeUserID
	}
	if r, ok := c.Rules[t]; ok {
		return r
	}
	return c.Custom
}

func (c Config) phoneRegion() string {
	if c.PhoneRegion == "" {
		return DefaultPhoneRegion
	}
	return c.PhoneRegion
}

// validType reports whether t is a usable identifier type name: 1 to 64
// lower-case letters, digits, '_', '.' or '-', starting with a letter or
// digit (e.g. ios.idfa, ga_client_id).
func validType(t string) bool {
	if t == "" || len(t) > 64 {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch b := t[i]; {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		case (b == '_' || b == '.' || b == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}
