package identity_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/identity"
)

func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	c := identity.DefaultConfig()
	require.NoError(t, c.Validate())
	tests := []struct {
		typ             string
		limit, priority int
	}{
		{identity.TypeUserID, 1, 1},
		{identity.TypeEmail, 5, 2},
		{identity.TypePhone, 5, 3},
		{"loyalty_id", 5, 4},
		{identity.TypeAnonymousID, 0, 5},
		{identity.TypePreviousID, 1, 1},
	}
	for _, tc := range tests {
		r := c.Rule(tc.typ)
		require.Equal(t, tc.limit, r.Limit, tc.typ)
		require.Equal(t, tc.priority, r.Priority, tc.typ)
		require.Equal(t, identity.DefaultBlocked(), r.Blocked, tc.typ)
	}
	// Each call returns fresh maps and slices.
	c.Rules[identity.TypeUserID] = identity.Rule{Limit: 9, Priority: 9}
	identity.DefaultBlocked()[0] = "changed"
	require.Equal(t, 1, identity.DefaultConfig().Rules[identity.TypeUserID].Limit)
	require.Empty(t, identity.DefaultBlocked()[0])
}

func TestConfigJSON(t *testing.T) {
	t.Parallel()
	var c identity.Config
	require.NoError(t, json.Unmarshal([]byte(`{
		"rules": {"user_id": {"limit": 1, "priority": 1, "blocked": ["null"]}, "crm_id": {"limit": 1, "priority": 2}},
		"custom": {"limit": 3, "priority": 4},
		"trait_keys": ["loyalty_id"],
		"phone_region": "GB"
	}`), &c))
	require.NoError(t, c.Validate())
	require.Equal(t, identity.Rule{Limit: 1, Priority: 2}, c.Rule("crm_id"))
	require.Equal(t, identity.Rule{Limit: 3, Priority: 4}, c.Rule("other"))
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		tweak func(*identity.Config)
		want  []string // substrings of the error; none = valid
	}{
		{name: "defaults", tweak: func(*identity.Config) {}},
		{name: "custom rule for ios.idfa", tweak: func(c *identity.Config) { c.Rules["ios.idfa"] = identity.Rule{Limit: 2, Priority: 4} }},
		{name: "empty region means US", tweak: func(c *identity.Config) { c.PhoneRegion = "" }},
		{
			name:  "negative limit and zero priority",
			tweak: func(c *identity.Config) { c.Rules[identity.TypeEmail] = identity.Rule{Limit: -1} },
			want:  []string{"rules.email: limit -1 must be 0 (unlimited) or more", "rules.email: priority 0 must be 1 (highest) or more"},
		},
		{
			name:  "custom rule without priority",
			tweak: func(c *identity.Config) { c.Custom = identity.Rule{Limit: 5} },
			want:  []string{"custom: priority 0"},
		},
		{
			name: "bad type names",
			tweak: func(c *identity.Config) {
				c.Rules["Email"] = identity.Rule{Priority: 1}
				c.Rules["_x"] = identity.Rule{Priority: 1}
			},
			want: []string{`type "Email" must be lower-case`, `type "_x" must be lower-case`},
		},
		{
			name:  "previous_id is reserved",
			tweak: func(c *identity.Config) { c.Rules[identity.TypePreviousID] = identity.Rule{Priority: 1} },
			want:  []string{`"previous_id" is reserved`},
		},
		{
			name:  "trait keys",
			tweak: func(c *identity.Config) { c.TraitKeys = []string{"loyalty_id", "Loyalty_ID", "email", " x", ""} },
			want:  []string{`trait_keys[1]: "Loyalty_ID" is listed twice`, `trait_keys[2]: "email" is a built-in`, `trait_keys[3]: " x" must be`, `trait_keys[4]: "" must be`},
		},
		{
			name:  "unknown region",
			tweak: func(c *identity.Config) { c.PhoneRegion = "XX" },
			want:  []string{`phone_region: "XX" is not a supported`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := identity.DefaultConfig()
			tc.tweak(&c)
			err := c.Validate()
			_, rerr := identity.NewResolver(c)
			if len(tc.want) == 0 {
				require.NoError(t, err)
				require.NoError(t, rerr)
				return
			}
			require.ErrorIs(t, err, identity.ErrInvalidConfig)
			require.ErrorIs(t, rerr, identity.ErrInvalidConfig)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
		})
	}
}
