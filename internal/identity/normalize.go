package identity

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Reasons an identifier is blocked (Blocked.Reason).
const (
	ReasonBlockedValue = "blocked_value" // on the type's blocked list
	ReasonNotEmail     = "not_an_email"  // email without a name, '@' and a domain
	ReasonInvalidPhone = "invalid_phone" // not readable as a possible phone number
	ReasonTooLong      = "too_long"      // longer than MaxValueLen
	ReasonInvalidType  = "invalid_type"  // externalIds type that is not a type name
	ReasonReservedType = "reserved_type" // externalIds type previous_id
)

// normalize returns raw as a normalized value of type t, or the reason it
// cannot be used. raw must already be trimmed.
func (c Config) normalize(t, raw string) (value, reason string) {
	switch {
	case t == TypePreviousID:
		if blockedIn(c.Rule(TypeUserID).Blocked, raw) || blockedIn(c.Rule(TypeAnonymousID).Blocked, raw) {
			return "", ReasonBlockedValue
		}
	case blockedIn(c.Rule(t).Blocked, raw):
		return "", ReasonBlockedValue
	}
	if len(raw) > MaxValueLen {
		return "", ReasonTooLong
	}
	value = raw
	switch t {
	case TypeEmail:
		value = strings.ToLower(raw)
		if at := strings.IndexByte(value, '@'); at <= 0 || at == len(value)-1 {
			return "", ReasonNotEmail
		}
	case TypePhone:
		var ok bool
		if value, ok = normalizePhone(raw, c.phoneRegion()); !ok {
			return "", ReasonInvalidPhone
		}
	default:
		return value, ""
	}
	if value != raw && blockedIn(c.Rule(t).Blocked, value) {
		return "", ReasonBlockedValue
	}
	return value, ""
}

// normalizePhone returns raw in E.164 form (+14155550123). It accepts what
// libphonenumber can parse as a possible number (right length for its
// country); it does not require a number range in current use, so test and
// reserved ranges (555) still resolve.
func normalizePhone(raw, region string) (string, bool) {
	if v, ok := fastNANP(raw, region); ok {
		return v, true
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// fastNANP normalizes, without the library, the most common shape: a North
// American number written with digits and the separators ( ) - . and space,
// as +1 and 10 digits, or (with region US) as 10 digits or 1 and 10 digits,
// the area code starting with 2-9. libphonenumber gives the same result for
// these (TestFastNANPMatchesLibrary); everything else goes to the library,
// which takes ~30µs per number.
func fastNANP(raw, region string) (string, bool) {
	var buf [12]byte
	n, plus := 0, false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	d := buf[:n]
	switch {
	case n == 11 && d[0] == '1' && (plus || region == "US"):
		d = d[1:]
	case n == 10 && !plus && region == "US":
	default:
		return "", false
	}
	if d[0] < '2' {
		return "", false
	}
	return "+1" + string(d), true
}

// blockedIn reports whether v equals one of list, ignoring case.
func blockedIn(list []string, v string) bool {
	for _, b := range list {
		if strings.EqualFold(b, v) {
			return true
		}
	}
	return false
}

// scalar returns the text of a JSON scalar usable as an identifier: strings
// as they are, numbers as their shortest decimal text. Booleans, null,
// objects and arrays are not identifiers.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return x.String(), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}
