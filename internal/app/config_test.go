package app

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConfigValidateNamesTheFlag: a bad flag value is refused with the
// flag's name and the range it takes.
func TestConfigValidateNamesTheFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		err  string // "" when valid
	}{
		{"defaults", nil, ""},
		{"send workers raised", []string{"--send-workers", "64"}, ""},
		{"send workers negative", []string{"--send-workers", "-1"}, "--send-workers must be between 1 and 1024, got -1"},
		{"send workers too many", []string{"--send-workers", "5000"}, "--send-workers must be between 1 and 1024"},
		{"clock", []string{"--clock", "fast"}, `--clock must be real or manual, got "fast"`},
		{"dedupe window", []string{"--dedupe-window", "10s"}, "--dedupe-window must be at least 1m"},
		{"max body", []string{"--max-body", "1000"}, "--max-body must be at least 524288"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			c.RegisterFlags(fs)
			require.NoError(t, fs.Parse(tc.args))
			err := c.Validate()
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}
