package identitytest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/identity/identitytest"
	"github.com/cairn-cdp/cairn/internal/store"
)

var (
	u1 = store.IdentityKey{Type: identity.TypeUserID, Value: "u1"}
	a1 = store.IdentityKey{Type: identity.TypeAnonymousID, Value: "a1"}
	a2 = store.IdentityKey{Type: identity.TypeAnonymousID, Value: "a2"}
)

func TestGraphApply(t *testing.T) {
	t.Parallel()
	g := identitytest.New()
	ctx := t.Context()
	require.NoError(t, g.Apply(identity.Decision{ProfileID: "p1", Created: true, Keys: []store.IdentityKey{u1}, Link: []store.IdentityKey{u1}}, 1))
	require.NoError(t, g.Apply(identity.Decision{ProfileID: "p2", Created: true, Keys: []store.IdentityKey{a1}, Link: []store.IdentityKey{a1}}, 2))
	require.NoError(t, g.Apply(identity.Decision{
		ProfileID: "p1", Keys: []store.IdentityKey{u1, a1, a2}, Link: []store.IdentityKey{a2}, Merged: []string{"p2"},
	}, 3))

	owners, err := g.Lookup(ctx, []store.IdentityKey{u1, a1, a2, {Type: "email", Value: "x"}})
	require.NoError(t, err)
	require.Equal(t, map[store.IdentityKey]string{u1: "p1", a1: "p1", a2: "p1"}, owners)
	ids, err := g.Identities(ctx, "p1")
	require.NoError(t, err)
	require.ElementsMatch(t, []store.IdentityKey{u1, a1, a2}, ids)
	_, err = g.Identities(ctx, "p2")
	require.ErrorIs(t, err, store.ErrNotFound, "merged away")
	rank, err := g.Rank(ctx, "p2")
	require.NoError(t, err)
	require.Equal(t, int64(2), rank)
	require.Equal(t, "p1", g.Resolve("p2"))
	require.Equal(t, []string{"anonymous_id:a1, anonymous_id:a2, user_id:u1"}, g.Partition())
}

func TestGraphApplyRejectsInconsistentDecisions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    identity.Decision
		want string
	}{
		{"create existing", identity.Decision{ProfileID: "p1", Created: true}, "created profile p1 already exists"},
		{"unknown target", identity.Decision{ProfileID: "p9"}, "target profile p9 is not a surviving profile"},
		{"merge unknown", identity.Decision{ProfileID: "p1", Merged: []string{"p9"}}, "merged profile p9 is not a surviving profile"},
		{"link linked key", identity.Decision{ProfileID: "p1", Link: []store.IdentityKey{u1}}, "user_id:u1 is already linked to p1"},
		{"key elsewhere", identity.Decision{ProfileID: "p1", Keys: []store.IdentityKey{a2}}, `anonymous_id:a2 resolves to "", not p1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := identitytest.New()
			require.NoError(t, g.Apply(identity.Decision{ProfileID: "p1", Created: true, Keys: []store.IdentityKey{u1}, Link: []store.IdentityKey{u1}}, 1))
			require.ErrorContains(t, g.Apply(tc.d, 2), tc.want)
		})
	}
}

func TestGraphErr(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	g := identitytest.New()
	g.Err = boom
	_, err := g.Lookup(t.Context(), []store.IdentityKey{u1})
	require.ErrorIs(t, err, boom)
	_, err = g.Identities(t.Context(), "p1")
	require.ErrorIs(t, err, boom)
	_, err = g.Rank(t.Context(), "p1")
	require.ErrorIs(t, err, boom)
	require.Equal(t, 1, g.Calls["Lookup"])
}
