package segment

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

var decodeSeeds = []string{
	`"gold"`, `""`, `"a\"b"`, `"caf\u00e9"`, `"café"`, "\"tab\there\"", `42`, `-0`, `0.5`, `-1.25e-3`, `1E+2`, `1e400`,
	`01`, `1.`, `.5`, `-`, `+1`, `0x10`, `1_0`, `Infinity`, `NaN`, `true`, `false`, `null`, `tru`, ` 1`, `1 `,
	`[1,"a"]`, `{"a":1}`, `"unterminated`, ``, `"`,
}

// TestDecodeValue checks the scalar fast path against encoding/json on
// values it takes and values it must leave to encoding/json.
func TestDecodeValue(t *testing.T) {
	t.Parallel()
	fast := 0
	for _, s := range decodeSeeds {
		t.Run(s, func(t *testing.T) {
			checkDecodeValue(t, []byte(s))
		})
		if _, ok := jsonScalar([]byte(s)); ok {
			fast++
		}
	}
	require.Equal(t, 10, fast, "the scalars the fast path decodes")
}

func FuzzDecodeValue(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeValue)
}

func checkDecodeValue(t *testing.T, raw []byte) {
	var want any
	wantErr := json.Unmarshal(raw, &want)
	got, err := DecodeValue(raw)
	if wantErr != nil {
		require.Error(t, err, "%q", raw)
		return
	}
	require.NoError(t, err, "%q", raw)
	require.Equal(t, want, got, "%q", raw)
}
