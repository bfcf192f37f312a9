package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var testSecret = []byte("k3y")

func TestUnsubscribeTokenRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    UnsubClaims
	}{
		{"full", UnsubClaims{ProfileID: "p1", GroupID: "newsletter", Channel: "email", Key: "sk_1"}},
		{"empty", UnsubClaims{}},
		{"channel only", UnsubClaims{ProfileID: "p1", Channel: "sms"}},
		{"dots and slashes", UnsubClaims{ProfileID: "a.b/c+d=e", GroupID: "g.g", Channel: ".", Key: "k.k.k"}},
		{"unicode", UnsubClaims{ProfileID: "ü✓", GroupID: "日本", Channel: "email", Key: "🔑"}},
		{"invalid utf-8 kept", UnsubClaims{ProfileID: "\xff\xfe", Key: "\x00"}},
		{"long", UnsubClaims{ProfileID: strings.Repeat("p", 300), Key: strings.Repeat("k", 200)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tok := UnsubscribeToken(testSecret, tc.c)
			require.NotContains(t, tok, "=", "no padding")
			for _, r := range tok {
				require.True(t, r == '.' || r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9', "URL-safe: %q", r)
			}
			got, err := ParseUnsubscribeToken(testSecret, tok)
			require.NoError(t, err)
			require.Equal(t, tc.c, got)
		})
	}
}

// TestUnsubscribeTokenVector pins the format with a token computed outside
// Go (Python hmac/base64), so links already mailed keep working.
func TestUnsubscribeTokenVector(t *testing.T) {
	t.Parallel()
	const want = "AQJwMQpuZXdzbGV0dGVyBWVtYWlsBHNrXzE.ZiQURh0zZx4uSv4uebcWNN6j7WIpBnw2g_3CQUrsjic"
	c := UnsubClaims{ProfileID: "p1", GroupID: "newsletter", Channel: "email", Key: "sk_1"}
	require.Equal(t, want, UnsubscribeToken(testSecret, c))
	got, err := ParseUnsubscribeToken(testSecret, want)
	require.NoError(t, err)
	require.Equal(t, c, got)
}

func TestParseUnsubscribeTokenRejects(t *testing.T) {
	t.Parallel()
	good := UnsubscribeToken(testSecret, UnsubClaims{ProfileID: "p1", GroupID: "newsletter", Channel: "email", Key: "sk_1"})
	payload, sig, _ := strings.Cut(good, ".")
	forged := UnsubscribeToken(testSecret, UnsubClaims{ProfileID: "p2", GroupID: "newsletter", Channel: "email", Key: "sk_1"})
	forgedPayload, _, _ := strings.Cut(forged, ".")
	cases := []struct {
		name   string
		secret []byte
		token  string
		want   error
	}{
		{"other secret", []byte("other"), good, ErrBadSignature},
		{"swapped payload", testSecret, forgedPayload + "." + sig, ErrBadSignature},
		{"payload char changed", testSecret, flip(payload, 3) + "." + sig, ErrBadSignature},
		{"signature char changed", testSecret, payload + "." + flip(sig, 5), ErrBadSignature},
		{"payload truncated", testSecret, payload[:len(payload)-1] + "." + sig, ErrBadSignature},
		{"empty secret", nil, good, ErrNoSecret},
		{"empty", testSecret, "", ErrMalformedToken},
		{"no dot", testSecret, payload + sig, ErrMalformedToken},
		{"signature truncated", testSecret, payload + "." + sig[:len(sig)-2], ErrMalformedToken},
		{"signature padded", testSecret, good + "=", ErrMalformedToken},
		{"two dots", testSecret, good + ".x", ErrMalformedToken},
		{"standard base64 alphabet", testSecret, strings.ReplaceAll(good, "_", "/"), ErrMalformedToken},
		{"too long", testSecret, strings.Repeat("A", maxTokenLen) + "." + sig, ErrMalformedToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseUnsubscribeToken(tc.secret, tc.token)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// flip changes the character at i to another base64url character.
func flip(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestUnsubscribeTokenEveryMutationFails changes every character of a
// token: none verifies.
func TestUnsubscribeTokenEveryMutationFails(t *testing.T) {
	t.Parallel()
	tok := UnsubscribeToken(testSecret, UnsubClaims{ProfileID: "p1", Channel: "email"})
	for i := range len(tok) {
		for _, c := range []byte("AQgw_-.") {
			if tok[i] == c {
				continue
			}
			bad := tok[:i] + string(c) + tok[i+1:]
			_, err := ParseUnsubscribeToken(testSecret, bad)
			require.Error(t, err, bad)
		}
	}
}

func TestUnsubscribeTokenEmptySecret(t *testing.T) {
	t.Parallel()
	require.Empty(t, UnsubscribeToken(nil, UnsubClaims{ProfileID: "p1"}))
}

func TestDecodeClaimsRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		payload []byte
	}{
		{"empty", nil},
		{"version 2", []byte{2, 0, 0, 0, 0}},
		{"missing fields", []byte{1, 0, 0}},
		{"length past end", []byte{1, 5, 'a'}},
		{"huge length", []byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"overlong varint", []byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"trailing bytes", []byte{1, 0, 0, 0, 0, 9}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeClaims(tc.payload)
			require.ErrorIs(t, err, ErrMalformedToken)
		})
	}
}

func FuzzParseUnsubscribeToken(f *testing.F) {
	good := UnsubscribeToken(testSecret, UnsubClaims{ProfileID: "p1", GroupID: "g", Channel: "email", Key: "k"})
	for _, s := range []string{good, "", ".", "a.b", good + "x", strings.ToUpper(good), "AQAAAAA.AAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := ParseUnsubscribeToken(testSecret, token)
		if err != nil {
			require.True(t, errorsIsAny(err, ErrMalformedToken, ErrBadSignature), "unexpected error %v", err)
			return
		}
		// Only tokens we signed verify, and they are canonical.
		require.Equal(t, token, UnsubscribeToken(testSecret, c))
	})
}

func FuzzUnsubscribeTokenRoundTrip(f *testing.F) {
	f.Add("p1", "g", "email", "k")
	f.Add("", "", "", "")
	f.Add("\xff", ".", "=", "\x00")
	f.Fuzz(func(t *testing.T, profile, group, channel, key string) {
		c := UnsubClaims{ProfileID: profile, GroupID: group, Channel: channel, Key: key}
		tok := UnsubscribeToken(testSecret, c)
		got, err := ParseUnsubscribeToken(testSecret, tok)
		if len(tok) > maxTokenLen {
			require.ErrorIs(t, err, ErrMalformedToken)
			return
		}
		require.NoError(t, err)
		require.Equal(t, c, got)
	})
}

func TestUserHash(t *testing.T) {
	t.Parallel()
	secret := []byte("intercom-secret")
	// Computed with Python: hmac.new(b"intercom-secret", b"user-42", sha256).hexdigest()
	const want = "acd6ec88d30667da80f7ff9754820e8b0fbbc335b7938d9da1b602d6cb826d2d"
	require.Equal(t, want, UserHash(secret, "user-42"))
	cases := []struct {
		name   string
		secret []byte
		user   string
		hash   string
		ok     bool
	}{
		{"match", secret, "user-42", want, true},
		{"upper-case hex", secret, "user-42", strings.ToUpper(want), true},
		{"other user", secret, "user-43", want, false},
		{"other secret", []byte("x"), "user-42", want, false},
		{"one digit off", secret, "user-42", want[:63] + "e", false},
		{"truncated", secret, "user-42", want[:62], false},
		{"not hex", secret, "user-42", strings.Repeat("zz", 32), false},
		{"empty hash", secret, "user-42", "", false},
		{"empty secret", nil, "user-42", UserHash(nil, "user-42"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.ok, VerifyUserHash(tc.secret, tc.user, tc.hash))
		})
	}
}

// TestUserHashCannotSignTokens: with one secret for both, a user hash is
// not a token MAC (the token key is derived).
func TestUserHashCannotSignTokens(t *testing.T) {
	t.Parallel()
	tok := UnsubscribeToken(testSecret, UnsubClaims{ProfileID: "p1"})
	payload, _, _ := strings.Cut(tok, ".")
	mac := hexToB64(t, UserHash(testSecret, payload))
	_, err := ParseUnsubscribeToken(testSecret, payload+"."+mac)
	require.ErrorIs(t, err, ErrBadSignature)
}
