package email

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMessageID(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^<[0-9a-f]{32}@example\.com>$`)
	tests := []struct {
		name string
		key  string
	}{
		{"journey send key", "j1:v3:inst-42:welcome:0"},
		{"retry of the same send", "j1:v3:inst-42:welcome:1"},
		{"other instance", "j1:v3:inst-43:welcome:0"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		id := MessageID(tt.key, "Example.COM")
		require.Regexp(t, shape, id, tt.name)
		require.Equal(t, id, MessageID(tt.key, "example.com"), "%s: same key, same id", tt.name)
		if other, dup := seen[id]; dup {
			t.Fatalf("%s and %s share Message-ID %s", other, tt.name, id)
		}
		seen[id] = tt.name
	}
	// The documented derivation, pinned: SHA-256("j1:v3:inst-42:welcome:0")
	// starts with these 16 bytes (sha256sum agrees).
	require.Equal(t, "<af292ee8c18d77f119fec151270e083b@example.com>", MessageID("j1:v3:inst-42:welcome:0", "example.com"))
}

func TestNormalizeMessageID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"<a@b>":     "<a@b>",
		" a@b ":     "<a@b>",
		"  <a@b>\t": "<a@b>",
		"<>":        "",
		"":          "",
	} {
		require.Equal(t, want, normalizeMessageID(in), "%q", in)
	}
}
