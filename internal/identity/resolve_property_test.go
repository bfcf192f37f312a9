package identity_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/identity/identitytest"
	"github.com/cairn-cdp/cairn/internal/store"
)

// randomEvents draws n events whose identifiers come from small pools, so
// that they overlap a lot. previousId values come from the anonymous pool
// (disjoint from the user pool), so their type never depends on order.
func randomEvents(rng *rand.Rand, n int) []ev {
	pick := func(prefix string, size int) string { return fmt.Sprintf("%s%d", prefix, rng.IntN(size)) }
	maybe := func(p float64) bool { return rng.Float64() < p }
	out := make([]ev, n)
	for i := range out {
		var e ev
		switch rng.IntN(4) {
		case 0, 1:
			e.typ = event.Identify
			var traits []string
			if maybe(0.5) {
				traits = append(traits, fmt.Sprintf(`"email":"%s@x.example"`, pick("E", 4)))
			}
			if maybe(0.3) {
				traits = append(traits, fmt.Sprintf(`"phone":"(415) 555-01%02d"`, rng.IntN(4)))
			}
			e.traits = "{" + strings.Join(traits, ",") + "}"
		case 2:
			e.typ = event.Alias
			e.user, e.prev = pick("u", 5), pick("a", 8)
			out[i] = e
			continue
		default:
			e.typ = []event.Type{event.Track, event.Page, event.Screen, event.Group}[rng.IntN(4)]
			e.link = maybe(0.5)
		}
		if maybe(0.4) {
			e.user = pick("u", 5)
		}
		if e.user == "" || maybe(0.7) {
			e.anon = pick("a", 8)
		}
		if maybe(0.2) {
			e.context = fmt.Sprintf(`{"externalIds":[{"id":"%s","type":"loyalty_id"}]}`, pick("L", 3))
		}
		out[i] = e
	}
	return out
}

// components is the oracle for unlimited resolution: the connected
// components of the identifiers, two identifiers being connected when one
// event carries both.
func components(tb testing.TB, c identity.Config, evs []ev) []string {
	parent := map[store.IdentityKey]store.IdentityKey{}
	var find func(store.IdentityKey) store.IdentityKey
	find = func(k store.IdentityKey) store.IdentityKey {
		if p, ok := parent[k]; ok && p != k {
			root := find(p)
			parent[k] = root
			return root
		}
		parent[k] = k
		return k
	}
	for i, e := range evs {
		evt, p := e.build(tb, int64(i+1))
		keys, _ := c.Extract(evt, p, e.link)
		for j, key := range keys {
			if key.Type == identity.TypePreviousID {
				keys[j].Type = identity.TypeAnonymousID
			}
		}
		for _, key := range keys[1:] {
			parent[find(key)] = find(keys[0])
		}
		find(keys[0])
	}
	groups := map[store.IdentityKey][]string{}
	for key := range parent {
		root := find(key)
		groups[root] = append(groups[root], key.Type+":"+key.Value)
	}
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		slices.Sort(g)
		out = append(out, strings.Join(g, ", "))
	}
	slices.Sort(out)
	return out
}

func TestPropertyOrderIndependentWithoutLimits(t *testing.T) {
	t.Parallel()
	r := newResolver(t, func(c *identity.Config) {
		for typ, rule := range c.Rules {
			rule.Limit = 0
			c.Rules[typ] = rule
		}
		c.Custom.Limit = 0
	})
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		evs := randomEvents(rng, 5+rng.IntN(30))
		want := components(t, r.Config(), evs)
		for order := range 4 {
			shuffled := slices.Clone(evs)
			if order > 0 {
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			}
			g := identitytest.New()
			for i, e := range shuffled {
				d, err := resolveOne(t, r, g, e, int64(i+1))
				require.NoError(t, err)
				require.Empty(t, d.Refused, "seed %d: no limit, no refusal", seed)
			}
			require.Equal(t, want, g.Partition(), "seed %d order %d", seed, order)
		}
	}
}

func TestPropertyLimitsNeverExceeded(t *testing.T) {
	t.Parallel()
	limits := map[string]int{
		identity.TypeUserID: 1, identity.TypeEmail: 2, identity.TypePhone: 1,
		identity.TypeAnonymousID: 3, "loyalty_id": 1,
	}
	r := newResolver(t, func(c *identity.Config) {
		setRule(c, identity.TypeEmail, 2, 2)
		setRule(c, identity.TypePhone, 1, 3)
		setRule(c, identity.TypeAnonymousID, 3, 5)
		c.Custom.Limit = 1
	})
	refusals := 0
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 2))
		evs := randomEvents(rng, 5+rng.IntN(40))
		g := identitytest.New()
		var decisions []identity.Decision
		for i, e := range evs {
			d, err := resolveOne(t, r, g, e, int64(i+1))
			require.NoError(t, err)
			decisions = append(decisions, d)
			refusals += len(d.Refused)
			for _, m := range d.Refused {
				require.Equal(t, d.ProfileID, m.Winner)
				require.NotEmpty(t, m.Reason)
				require.NotEmpty(t, m.Dropped)
			}
			for _, k := range d.Dropped {
				require.NotContains(t, d.Keys, k)
			}
			for p, ids := range g.Profiles() {
				counts := map[string]int{}
				for _, k := range ids {
					counts[k.Type]++
				}
				for typ, n := range counts {
					require.LessOrEqual(t, n, limits[typ], "seed %d event %d: profile %s has %d %s", seed, i+1, p, n, typ)
				}
			}
		}
		// Deterministic: replaying the same order gives the same decisions.
		g2 := identitytest.New()
		for i, e := range evs {
			d, err := resolveOne(t, r, g2, e, int64(i+1))
			require.NoError(t, err)
			require.Equal(t, decisions[i], d)
		}
	}
	require.Greater(t, refusals, 100, "the pools must make limits bite")
}
