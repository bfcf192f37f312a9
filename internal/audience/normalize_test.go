package audience

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// sha computes the expected hash independently of Hash.
func sha(s string) string {
	h := sha256.New()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

// TestMetaPublishedVectors checks the worked examples Meta publishes with
// its normalization rules (input, normalized form, expected SHA-256), on
// the Conversions API customer information parameters page.
func TestMetaPublishedVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantNorm, wantHash string
		norm                         func(string) string
	}{
		{"email", "John_Smith@gmail.com", "john_smith@gmail.com",
			"62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", MetaEmail},
		{"US phone", "(650)555-1212", "16505551212",
			"e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", func(s string) string { return MetaPhone(s, "US") }},
		{"first name", "Mary", "mary",
			"6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec", MetaName},
		{"first name with an accent", "Valéry", "valéry",
			"08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c", MetaName},
		{"first name in Hangul", "정", "정",
			"8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14", MetaName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.norm(tt.in)
			require.Equal(t, tt.wantNorm, got)
			require.Equal(t, tt.wantHash, Hash(got))
		})
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	// FIPS 180-2 test vector for "abc".
	require.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hash("abc"))
	require.Equal(t, sha("ann@example.com"), Hash("ann@example.com"))
}

func TestEmailNormalizers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                    string
		wantPlain, wantGoogle string
	}{
		{"  Ann.Lee@Example.COM ", "ann.lee@example.com", "ann.lee@example.com"},
		{"John.Smith@Gmail.com", "john.smith@gmail.com", "johnsmith@gmail.com"},
		{"j.o.h.n+news@googlemail.com", "j.o.h.n+news@googlemail.com", "john+news@googlemail.com"},
		{"a.b@gmail.com.au", "a.b@gmail.com.au", "a.b@gmail.com.au"},
		{"ann lee@example.com", "", "annlee@example.com"}, // Google: intermediate whitespace removed
		{"\tann@example.com\n", "ann@example.com", "ann@example.com"},
		{"no-at-sign", "", ""},
		{"@example.com", "", ""},
		{"ann@", "", ""},
		{"...@gmail.com", "...@gmail.com", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.wantPlain, NormalizeEmail(tt.in))
			require.Equal(t, tt.wantPlain, MetaEmail(tt.in))
			require.Equal(t, tt.wantGoogle, GoogleEmail(tt.in))
		})
	}
}

func TestPhoneNormalizers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, region           string
		wantE164, wantDigits string
	}{
		// Google's documented example: (800)555-0100 → +18005550100.
		{"(800)555-0100", "US", "+18005550100", "18005550100"},
		{"+1 800 555 0101", "", "+18005550101", "18005550101"},
		{"1-650-555-1212", "US", "+16505551212", "16505551212"},
		{"+44 20 7031 3000", "US", "+442070313000", "442070313000"},
		{"020 7031 3000", "GB", "+442070313000", "442070313000"}, // leading trunk zero dropped
		{"0044 20 7031 3000", "FR", "+442070313000", "442070313000"},
		{"650-555-1212 ext. 7", "us", "+16505551212", "16505551212"},
		{"650-555-1212", "", "", ""}, // no country code and no region
		{"12", "US", "", ""},
		{"000000", "UY", "", ""}, // possible by length, but prints as a number that reads back otherwise (found by fuzzing)
		{"call me", "US", "", ""},
		{"", "US", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+tt.region, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.wantE164, NormalizePhone(tt.in, tt.region))
			require.Equal(t, tt.wantDigits, MetaPhone(tt.in, tt.region))
		})
	}
}

func TestNameNormalizers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, wantGoogle, wantMeta string
	}{
		{"  Ann  ", "ann", "ann"},
		{"Mary  Ann", "mary ann", "maryann"},
		{"O'Brien-Smith", "obriensmith", "obriensmith"},
		{"José", "josé", "josé"},
		{"Dr. Zoë", "dr zoë", "drzoë"},
		{"R2-D2", "r2d2", "rd"},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.wantGoogle, GoogleName(tt.in))
			require.Equal(t, tt.wantMeta, MetaName(tt.in))
		})
	}
}

func TestAddressNormalizers(t *testing.T) {
	t.Parallel()
	t.Run("country", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[string]string{"us": "US", " GB ": "GB", "USA": "US", "uk": "GB", "United States": "", "D": "", "1A": ""} {
			require.Equal(t, want, Country(in), in)
		}
		require.Equal(t, "us", MetaCountry("US"))
		require.Empty(t, MetaCountry("France"))
	})
	t.Run("zip", func(t *testing.T) {
		t.Parallel()
		tests := []struct{ in, country, wantGoogle, wantMeta string }{
			{"94303", "US", "94303", "94303"},
			{"94303-5300", "US", "94303-5300", "94303"},
			{"943035300", "US", "94303-5300", "94303"},
			{" 94303 5300 ", "us", "94303-5300", "94303"},
			{"9430", "US", "", ""},
			{"WC2H 8LG", "GB", "WC2H 8LG", "wc2h8"},
			{"sw1a 1aa", "UK", "sw1a 1aa", "sw1a1"},
			{"SW1A", "GB", "SW1A", "sw1a"}, // an outward code alone: kept
			{"75008", "FR", "75008", "75008"},
			{"K1A 0B1", "CA", "K1A 0B1", "k1a0b1"},
		}
		for _, tt := range tests {
			require.Equal(t, tt.wantGoogle, GoogleZip(tt.in, tt.country), "google %q", tt.in)
			require.Equal(t, tt.wantMeta, MetaZip(tt.in, tt.country), "meta %q", tt.in)
		}
	})
	t.Run("city and state", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "newyork", MetaCity("New York"))
		require.Equal(t, "saintétienne", MetaCity("Saint-Étienne"))
		require.Equal(t, "winstonsalem", MetaCity(" Winston-Salem 2 "))
		tests := []struct{ in, country, want string }{
			{"CO", "US", "co"},
			{"Colorado", "US", "co"},
			{"new york", "", "ny"},
			{"District of Columbia", "US", "dc"},
			{"N.Y.", "US", "ny"},
			{"Ontario", "CA", "ontario"},
			{"Île-de-France", "FR", "îledefrance"},
		}
		for _, tt := range tests {
			require.Equal(t, tt.want, MetaState(tt.in, tt.country), tt.in)
		}
	})
}
