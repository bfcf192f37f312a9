package identity

import (
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/require"
)

// libraryPhone is normalizePhone without the fast path.
func libraryPhone(raw, region string) (string, bool) {
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

func TestFastNANPMatchesLibrary(t *testing.T) {
	t.Parallel()
	const alphabet = "0123456789012345678901234567890123456789 -.()+"
	rng := rand.New(rand.NewPCG(7, 7))
	taken := 0
	for range 20000 {
		b := make([]byte, 7+rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(3) == 0 {
			b[0] = '+'
		}
		raw := string(b)
		for _, region := range []string{"US", "GB"} {
			got, ok := fastNANP(raw, region)
			if !ok {
				continue
			}
			taken++
			want, wok := libraryPhone(raw, region)
			require.True(t, wok, "%q in %s: fast path accepted, library refused", raw, region)
			require.Equal(t, want, got, "%q in %s", raw, region)
		}
	}
	require.Greater(t, taken, 200, "the generator must exercise the fast path")
}

func FuzzFastNANP(f *testing.F) {
	for _, s := range []string{"+14155550123", "(415) 555-0123", "1-415-555-0123", "415.555.0123", "+1 (800) 555 0100", "0123456789"} {
		f.Add(s, "US")
		f.Add(s, "CA")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, ok := fastNANP(raw, region)
		if !ok {
			return
		}
		want, wok := libraryPhone(raw, region)
		require.True(t, wok, "%q in %s: fast path accepted, library refused", raw, region)
		require.Equal(t, want, got)
	})
}
