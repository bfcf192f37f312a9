package audience

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Trait paths read into a Member; the first one set wins.
var (
	firstNamePaths = []string{"first_name", "firstName"}
	lastNamePaths  = []string{"last_name", "lastName"}
	countryPaths   = []string{"address.country", "country"}
	postalPaths    = []string{"address.postal_code", "address.zip", "postal_code", "zip"}
	cityPaths      = []string{"address.city", "city"}
	statePaths     = []string{"address.state", "state"}
)

// memberOf builds the Member of a profile from its identities (every email
// and phone identifier) and traits (the email and phone traits, names and
// address). Without first_name/last_name, a name trait is split at its last
// space.
func memberOf(profileID string, ids []store.Identity, traits []store.Trait) Member {
	m := Member{ProfileID: profileID}
	for _, id := range ids {
		switch id.Type {
		case "email":
			m.Emails = append(m.Emails, id.Value)
		case "phone":
			m.Phones = append(m.Phones, id.Value)
		}
	}
	tr := make(map[string]string, len(traits))
	for _, t := range traits {
		if s, ok := scalarText(t.Value); ok {
			tr[t.Path] = s
		}
	}
	if e := tr["email"]; e != "" {
		m.Emails = append(m.Emails, e)
	}
	if p := tr["phone"]; p != "" {
		m.Phones = append(m.Phones, p)
	}
	m.FirstName, m.LastName = first(tr, firstNamePaths), first(tr, lastNamePaths)
	if m.FirstName == "" && m.LastName == "" {
		if name := strings.TrimSpace(tr["name"]); name != "" {
			if i := strings.LastIndexByte(name, ' '); i > 0 {
				m.FirstName, m.LastName = strings.TrimSpace(name[:i]), name[i+1:]
			}
		}
	}
	m.Country, m.PostalCode = first(tr, countryPaths), first(tr, postalPaths)
	m.City, m.State = first(tr, cityPaths), first(tr, statePaths)
	return m
}

func first(tr map[string]string, paths []string) string {
	for _, p := range paths {
		if v := strings.TrimSpace(tr[p]); v != "" {
			return v
		}
	}
	return ""
}

// scalarText returns a JSON string as is and a number as its text (postal
// codes are often numbers); false for anything else.
func scalarText(raw json.RawMessage) (string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}
