package audience

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// The normalization rules below follow the platforms' documentation:
//
//   - Google: "Format user data", Data Manager API (the API Google asks
//     Customer Match workflows to move to),
//     https://developers.google.com/data-manager/api/get-started/formatting
//     (email: lowercase, gmail.com/googlemail.com without dots before the
//     '@', no whitespace at all; phone: '+', country code, digits; names:
//     lowercase, trimmed; region_code and postal_code not hashed), with the
//     Customer Match file rules of "Formatting guidelines for uploading
//     hashed data", https://support.google.com/google-ads/answer/7476159,
//     and its CSV template (remove extra spaces before, after or in between
//     names; phones E.164 before hashing), and the API reference's "lower
//     case only and no punctuation" for names (OfflineUserAddressInfo,
//     https://developers.google.com/google-ads/api/reference/rpc/latest/OfflineUserAddressInfo).
//   - Meta: "Customer File Custom Audiences", Hashing and Normalizing Data,
//     https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences
//     (EMAIL: trim, lowercase; PHONE: remove symbols, letters and leading
//     zeros, with the country code; FN/LN: a-z, lowercase, no punctuation,
//     UTF-8 special characters; CT: lowercase, no punctuation, special
//     characters or white space; ST: 2-character ANSI code for US states,
//     else lowercase without punctuation or white space; ZIP: lowercase, no
//     white space, first 5 digits in the US, Area/District/Sector in the
//     UK; COUNTRY: lowercase ISO 3166-1 alpha-2; every field hashed), and
//     the worked examples of the Conversions API customer information
//     parameters page, which states the same rules,
//     https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters.
//
// Every normalizer returns "" for a value it cannot use; callers drop it.

// Hash returns the lowercase hex SHA-256 of s, the form both platforms
// accept for hashed identifiers.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// NormalizeEmail trims and lowercases an email address (the rule every
// platform shares); "" unless it has a local part, an '@' and a domain,
// and no whitespace inside.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return ""
	}
	return validEmail(s)
}

// GoogleEmail normalizes an email for Google: lowercase, every whitespace
// removed, and for gmail.com and googlemail.com every dot before the '@'
// removed.
func GoogleEmail(s string) string {
	s = strings.ToLower(removeSpace(s))
	local, domain, ok := splitEmail(s)
	if !ok {
		return ""
	}
	if domain == "gmail.com" || domain == "googlemail.com" {
		local = strings.ReplaceAll(local, ".", "")
		if local == "" {
			return ""
		}
		s = local + "@" + domain
	}
	return s
}

// MetaEmail normalizes an email for Meta: trimmed and lowercased.
func MetaEmail(s string) string { return NormalizeEmail(s) }

func validEmail(s string) string {
	if _, _, ok := splitEmail(s); !ok {
		return ""
	}
	return s
}

// splitEmail splits at the last '@'; false without a local part or a
// domain.
func splitEmail(s string) (local, domain string, ok bool) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", "", false
	}
	return s[:at], s[at+1:], true
}

// NormalizePhone returns a phone number in E.164 ("+14155550123"), as
// Google wants it. Numbers without a country code are read in region
// (ISO 3166-1 alpha-2, e.g. "US"); "" when the number is not a possible
// number of its country (its length; number ranges are not checked, so
// test numbers such as 555 ones pass).
func NormalizePhone(s, region string) string {
	s = strings.TrimSpace(s)
	if isE164(s) {
		return s // already normalized (identities are stored so)
	}
	if s == "" {
		return ""
	}
	if region == "" {
		region = "ZZ" // unknown: only numbers with a country code parse
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	out := phonenumbers.Format(n, phonenumbers.E164)
	// A possible number need not be a real one: some (a national number
	// that keeps a leading zero) print as an E.164 string that reads back
	// as another number. Those cannot match anyone: drop them.
	back, err := phonenumbers.Parse(out, "ZZ")
	if err != nil || phonenumbers.Format(back, phonenumbers.E164) != out {
		return ""
	}
	return out
}

// isE164 reports whether s is '+', a non-zero digit and 6 to 14 more
// digits: the E.164 form, which needs no parsing.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// MetaPhone returns a phone number as Meta wants it: digits only, country
// code first, no '+' and no leading zeros ("14155550123").
func MetaPhone(s, region string) string {
	return strings.TrimPrefix(NormalizePhone(s, region), "+")
}

// GoogleName normalizes a first or last name for Google: lowercase, no
// punctuation, no spaces before, after or more than one in between.
func GoogleName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// MetaName normalizes a first or last name for Meta: lowercase letters
// only (accented and non-Latin letters kept, as UTF-8), no punctuation,
// digits or spaces.
func MetaName(s string) string { return lettersOnly(s) }

// MetaCity normalizes a city for Meta: lowercase letters only.
func MetaCity(s string) string { return lettersOnly(s) }

// MetaState normalizes a state or province for Meta: a US state (by code
// or name, when country is US or empty) becomes its lowercase 2-letter
// ANSI code; any other lowercase letters only.
func MetaState(s, country string) string {
	st := lettersOnly(s)
	c := Country(country)
	if c != "" && c != "US" {
		return st
	}
	if code, ok := usStates[st]; ok {
		return code
	}
	return st
}

// MetaZip normalizes a postal code for Meta: lowercase without white
// space; the first 5 digits of a US ZIP code; the Area/District/Sector of
// a UK postcode ("SW1A 1AA" → "sw1a1").
func MetaZip(s, country string) string {
	z := strings.ToLower(removeSpace(s))
	switch Country(country) {
	case "US":
		return usZip5(z)
	case "GB":
		// A full postcode ends with its unit: a digit and two letters;
		// the sector keeps the digit.
		if n := len(z); n >= 5 && isDigit(z[n-3]) && isLetter(z[n-2]) && isLetter(z[n-1]) {
			return z[:n-2]
		}
	}
	return z
}

// MetaCountry is a country as Meta wants it: lowercase ISO 3166-1 alpha-2.
func MetaCountry(s string) string { return strings.ToLower(Country(s)) }

// GoogleZip normalizes a postal code for Google (sent unhashed): trimmed,
// inner spaces collapsed; a US ZIP code as 5 digits or ZIP+4 ("94303" or
// "94303-5300").
func GoogleZip(s, country string) string {
	z := strings.Join(strings.Fields(s), " ")
	if Country(country) != "US" {
		return z
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == '-' || r == ' ' {
			return -1
		}
		return 'x' // anything else: not a ZIP code
	}, z)
	switch {
	case len(digits) == 5 && !strings.Contains(digits, "x"):
		return digits
	case len(digits) == 9 && !strings.Contains(digits, "x"):
		return digits[:5] + "-" + digits[5:]
	}
	return ""
}

// Country returns an ISO 3166-1 alpha-2 code in upper case from a
// two-letter code in any case, or from "USA" and "UK" (which platforms
// want as US and GB); "" for anything else.
func Country(s string) string {
	c := strings.ToUpper(strings.TrimSpace(s))
	switch c {
	case "USA":
		return "US"
	case "UK":
		return "GB"
	}
	if len(c) != 2 || !isUpper(c[0]) || !isUpper(c[1]) {
		return ""
	}
	return c
}

// usZip5 returns the first 5 digits of a US ZIP code ("" if it has none).
func usZip5(z string) string {
	if len(z) < 5 {
		return ""
	}
	for i := range 5 {
		if !isDigit(z[i]) {
			return ""
		}
	}
	if len(z) > 5 && z[5] != '-' && !isDigit(z[5]) {
		return ""
	}
	return z[:5]
}

func lettersOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

func removeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func isDigit(b byte) bool  { return b >= '0' && b <= '9' }
func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }
func isUpper(b byte) bool  { return b >= 'A' && b <= 'Z' }
