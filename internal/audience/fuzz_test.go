package audience

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// FuzzNormalizers checks the properties every normalizer must have on any
// input: the output is stable (normalizing it again changes nothing), in
// the documented shape, and valid UTF-8 when the input is.
func FuzzNormalizers(f *testing.F) {
	for _, s := range []string{" John.Smith@Gmail.com ", "(650)555-1212", "+44 20 7031 3000", "Valéry", "O'Brien-Smith",
		"SW1A 1AA", "94303-5300", "New York", "정", "", "a@b", "\u00a0x@y.z\u2028", "İstanbul", "ǅ"} {
		f.Add(s, "US")
		f.Add(s, "GB")
	}
	f.Add("000000", "UY")
	f.Fuzz(func(t *testing.T, in, country string) {
		valid := utf8.ValidString(in)
		for name, norm := range map[string]func(string) string{
			"email": NormalizeEmail, "google email": GoogleEmail,
			"google name": GoogleName, "meta name": MetaName, "meta city": MetaCity,
			"meta state": func(s string) string { return MetaState(s, country) },
			"meta zip":   func(s string) string { return MetaZip(s, country) },
			"google zip": func(s string) string { return GoogleZip(s, country) },
		} {
			out := norm(in)
			if valid {
				require.True(t, utf8.ValidString(out), "%s(%q) = %q", name, in, out)
			}
			if !valid {
				continue // invalid UTF-8 maps to U+FFFD, which may lower differently the second time
			}
			require.Equal(t, out, norm(out), "%s is not idempotent on %q", name, in)
		}
		if e := NormalizeEmail(in); e != "" {
			require.Equal(t, strings.ToLower(e), e)
			require.Equal(t, -1, strings.IndexFunc(e, unicode.IsSpace))
			require.Contains(t, e, "@")
		}
		if e := GoogleEmail(in); e != "" {
			require.Equal(t, -1, strings.IndexFunc(e, unicode.IsSpace))
			if local, domain, _ := splitEmail(e); domain == "gmail.com" {
				require.NotContains(t, local, ".")
			}
		}
		if c := Country(in); c != "" {
			require.Len(t, c, 2)
			require.Equal(t, c, Country(c))
		}
		p := NormalizePhone(in, country)
		if p != "" {
			require.Regexp(t, e164, p)
			require.Equal(t, p, NormalizePhone(p, ""), "an E.164 number reads the same without a region")
			require.Equal(t, strings.TrimPrefix(p, "+"), MetaPhone(in, country))
		}
		for _, s := range []string{MetaName(in), MetaCity(in)} {
			require.Equal(t, -1, strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) }))
		}
		if z := GoogleZip(in, "US"); z != "" {
			require.Regexp(t, `^[0-9]{5}(-[0-9]{4})?$`, z)
		}
		if z := MetaZip(in, "US"); z != "" {
			require.Regexp(t, `^[0-9]{5}$`, z)
		}
		require.Regexp(t, `^[0-9a-f]{64}$`, Hash(in))
	})
}
