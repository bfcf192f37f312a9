package audience

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
)

// Member is one audience member with the contact data platforms match on,
// as written in the profile (the formats normalize and hash it).
type Member struct {
	ProfileID  string
	Emails     []string
	Phones     []string
	FirstName  string
	LastName   string
	Country    string // ISO 3166-1 alpha-2, also the region of phones without a country code
	PostalCode string
	City       string
	State      string
}

// Format is an audience file layout: a header and the rows of a member.
// A member can take several rows (one per email or phone); a member
// without anything the platform can match on takes none.
type Format interface {
	Name() string // file name part: google, meta, hashed
	Header() []string
	Rows(m Member) [][]string
}

// Format names.
const (
	FormatGoogle = "google"
	FormatMeta   = "meta"
	FormatHashed = "hashed"
)

// NewFormat returns the format of a name; defaultRegion reads phones of
// members without a country.
func NewFormat(name, defaultRegion string) (Format, error) {
	switch name {
	case FormatGoogle:
		return GoogleCustomerMatch{DefaultRegion: defaultRegion}, nil
	case FormatMeta:
		return MetaCustomAudience{DefaultRegion: defaultRegion}, nil
	case FormatHashed:
		return HashedList{DefaultRegion: defaultRegion}, nil
	}
	return nil, fmt.Errorf("unknown audience format %q (supported: google, meta, hashed)", name)
}

// write writes f's header and the rows of members as CSV.
func write(w io.Writer, f Format, members []Member) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(f.Header()); err != nil {
		return fmt.Errorf("write %s header: %w", f.Name(), err)
	}
	for _, m := range members {
		for _, row := range f.Rows(m) {
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write %s row: %w", f.Name(), err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s audience: %w", f.Name(), err)
	}
	return nil
}

// GoogleCustomerMatch is the Google Ads Customer Match customer data file
// (https://support.google.com/google-ads/answer/7659867): header
// Email,Phone,First Name,Last Name,Country,Zip; email, phone and names
// normalized and SHA-256 hashed, country and zip in clear (Google: "If you
// upload a hashed data file, don't hash Country and Zip data",
// https://support.google.com/google-ads/answer/7474263). Name, country and
// zip are written only when all four are known: Google matches a mailing
// address on the four together.
type GoogleCustomerMatch struct{ DefaultRegion string }

// Name implements Format.
func (GoogleCustomerMatch) Name() string { return FormatGoogle }

// Header implements Format.
func (GoogleCustomerMatch) Header() []string {
	return []string{"Email", "Phone", "First Name", "Last Name", "Country", "Zip"}
}

// Rows implements Format.
func (g GoogleCustomerMatch) Rows(m Member) [][]string {
	country := Country(m.Country)
	emails := normalizeAll(m.Emails, GoogleEmail)
	phones := normalizeAll(m.Phones, func(s string) string { return NormalizePhone(s, region(country, g.DefaultRegion)) })
	first, last, zip := GoogleName(m.FirstName), GoogleName(m.LastName), GoogleZip(m.PostalCode, country)
	var addr [4]string
	if first != "" && last != "" && country != "" && zip != "" {
		addr = [4]string{Hash(first), Hash(last), country, zip}
	}
	return expand(emails, phones, addr[0] != "", func(email, phone string) []string {
		return []string{hashOrEmpty(email), hashOrEmpty(phone), addr[0], addr[1], addr[2], addr[3]}
	})
}

// Write writes members as a Customer Match file.
func (g GoogleCustomerMatch) Write(w io.Writer, members []Member) error { return write(w, g, members) }

// MetaCustomAudience is the Meta customer list file for Custom Audiences
// (https://www.facebook.com/business/help/2082575038703844): header
// email,phone,fn,ln,zip,ct,st,country, every value normalized and SHA-256
// hashed (Meta: "hashing required" for each of these keys).
type MetaCustomAudience struct{ DefaultRegion string }

// Name implements Format.
func (MetaCustomAudience) Name() string { return FormatMeta }

// Header implements Format.
func (MetaCustomAudience) Header() []string {
	return []string{"email", "phone", "fn", "ln", "zip", "ct", "st", "country"}
}

// Rows implements Format.
func (f MetaCustomAudience) Rows(m Member) [][]string {
	country := Country(m.Country)
	emails := normalizeAll(m.Emails, MetaEmail)
	phones := normalizeAll(m.Phones, func(s string) string { return MetaPhone(s, region(country, f.DefaultRegion)) })
	fn, ln := MetaName(m.FirstName), MetaName(m.LastName)
	rest := []string{fn, ln, MetaZip(m.PostalCode, country), MetaCity(m.City), MetaState(m.State, country), MetaCountry(country)}
	for i, v := range rest {
		rest[i] = hashOrEmpty(v)
	}
	return expand(emails, phones, fn != "" && ln != "", func(email, phone string) []string {
		return append([]string{hashOrEmpty(email), hashOrEmpty(phone)}, rest...)
	})
}

// Write writes members as a Meta customer list.
func (f MetaCustomAudience) Write(w io.Writer, members []Member) error { return write(w, f, members) }

// HashedList is a plain list of hashed identifiers for any platform that
// takes SHA-256 customer lists: header identifier_type,sha256, one row per
// email (trimmed, lowercased) and per phone (E.164 with '+').
type HashedList struct{ DefaultRegion string }

// Name implements Format.
func (HashedList) Name() string { return FormatHashed }

// Header implements Format.
func (HashedList) Header() []string { return []string{"identifier_type", "sha256"} }

// Rows implements Format.
func (h HashedList) Rows(m Member) [][]string {
	var rows [][]string
	for _, e := range normalizeAll(m.Emails, NormalizeEmail) {
		rows = append(rows, []string{"email", Hash(e)})
	}
	reg := region(Country(m.Country), h.DefaultRegion)
	for _, p := range normalizeAll(m.Phones, func(s string) string { return NormalizePhone(s, reg) }) {
		rows = append(rows, []string{"phone", Hash(p)})
	}
	return rows
}

// Write writes members as a hashed list.
func (h HashedList) Write(w io.Writer, members []Member) error { return write(w, h, members) }

// expand makes max(len(emails), len(phones)) rows, pairing the i-th email
// with the i-th phone; one row without either when other is set (a member
// matched on name and address); none otherwise.
func expand(emails, phones []string, other bool, row func(email, phone string) []string) [][]string {
	n := max(len(emails), len(phones))
	if n == 0 && other {
		n = 1
	}
	rows := make([][]string, 0, n)
	for i := range n {
		var e, p string
		if i < len(emails) {
			e = emails[i]
		}
		if i < len(phones) {
			p = phones[i]
		}
		rows = append(rows, row(e, p))
	}
	return rows
}

// normalizeAll normalizes values, dropping unusable ones and duplicates,
// sorted so files are stable.
func normalizeAll(values []string, norm func(string) string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if n := norm(v); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func hashOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return Hash(s)
}

func region(country, fallback string) string {
	if country != "" {
		return country
	}
	return Country(fallback)
}

var (
	_ Format = GoogleCustomerMatch{}
	_ Format = MetaCustomAudience{}
	_ Format = HashedList{}
)
