package directmail

import (
	"strings"
	"unicode"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Message.Data keys of the address contract (see the package doc).
const (
	DataFirstName  = "first_name"
	DataLastName   = "last_name"
	DataLine1      = "address.line1"
	DataLine2      = "address.line2"
	DataCity       = "address.city"
	DataState      = "address.state"
	DataPostalCode = "address.postal_code"
	DataCountry    = "address.country"
	DataOfferCode  = "offer_code"
)

// record builds the batch row of m: the base columns, then fields. It
// fails permanently without a send key or a postal address.
func record(m channel.Message, fields []string) ([]string, error) {
	if strings.TrimSpace(m.Key) == "" {
		return nil, channel.Permanent(CodeNoKey, ErrNoKey)
	}
	get := func(k string) string { return oneLine(m.Data[k]) }
	line1, city, postal := get(DataLine1), get(DataCity), get(DataPostalCode)
	if line1 == "" || (city == "" && postal == "") {
		return nil, channel.Permanent(CodeNoPostalAddress, ErrNoPostalAddress)
	}
	name := strings.TrimSpace(get(DataFirstName) + " " + get(DataLastName))
	body := m.Text
	if body == "" {
		body = string(m.Body)
	}
	rec := make([]string, 0, len(baseColumns)+len(fields))
	rec = append(rec, oneLine(m.Key), oneLine(m.ProfileID), name, line1, get(DataLine2),
		city, get(DataState), postal, get(DataCountry), cleanBody(body), get(DataOfferCode))
	for _, f := range fields {
		rec = append(rec, get(f))
	}
	return rec, nil
}

// oneLine trims s and turns every run of whitespace and control
// characters into one space: address fields are single lines.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanBody keeps the body's lines (as "\n") and tabs and drops other
// control characters, which print tools choke on.
func cleanBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
