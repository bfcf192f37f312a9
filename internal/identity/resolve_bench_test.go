package identity_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
)

// benchGraph answers from fixed maps without allocating, so the benchmarks
// measure the resolver, not the graph.
type benchGraph struct {
	owners map[store.IdentityKey]string
	ids    map[string][]store.IdentityKey
	rank   map[string]int64
}

func (g *benchGraph) Lookup(context.Context, []store.IdentityKey) (map[store.IdentityKey]string, error) {
	return g.owners, nil
}

func (g *benchGraph) Identities(_ context.Context, p string) ([]store.IdentityKey, error) {
	return g.ids[p], nil
}

func (g *benchGraph) Rank(_ context.Context, p string) (int64, error) { return g.rank[p], nil }

func BenchmarkResolve(b *testing.B) {
	r := newResolver(b, nil)
	g := &benchGraph{
		owners: map[store.IdentityKey]string{
			k("user_id:u1"): "p1", k("anonymous_id:a1"): "p1", k("email:pia@nto.example"): "p1",
			k("anonymous_id:a2"): "p2",
		},
		ids: map[string][]store.IdentityKey{
			"p1": ks("user_id:u1", "anonymous_id:a1", "email:pia@nto.example"),
			"p2": ks("anonymous_id:a2"),
		},
		rank: map[string]int64{"p1": 1, "p2": 2},
	}
	cases := []struct {
		name string
		keys []store.IdentityKey
		want string
	}{
		{"known_user", ks("user_id:u1"), "p1"},
		{"known_user_and_device", ks("user_id:u1", "anonymous_id:a1"), "p1"},
		{"known_user_new_device", ks("user_id:u1", "anonymous_id:a9"), "p1"},
		{"new_anonymous", ks("anonymous_id:a9"), "new"},
		{"known_user_new_email", ks("user_id:u1", "email:new@nto.example"), "p1"},
		{"merge_device_into_user", ks("user_id:u1", "anonymous_id:a2"), "p1"},
		{"alias_previous_anonymous", ks("user_id:u1", "previous_id:a1"), "p1"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			ctx := b.Context()
			d, err := r.Resolve(ctx, g, tc.keys, "new")
			require.NoError(b, err)
			require.Equal(b, tc.want, d.ProfileID)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Resolve(ctx, g, tc.keys, "new"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	c := identity.DefaultConfig()
	cases := []struct {
		name string
		ev   ev
	}{
		{"track_user", ev{typ: event.Track, user: "u-123", anon: "rand-1"}},
		{"page_anonymous", ev{typ: event.Page, anon: "c486f133-1111-4aaa-9bbb-0123456789ab", link: true}},
		{"identify_email", ev{typ: event.Identify, user: "u-123", anon: "a-1", traits: `{"email":"Pia@NTO.example","name":"Pia"}`}},
		{"identify_email_phone", ev{typ: event.Identify, user: "u-123", anon: "a-1", traits: `{"email":"pia@nto.example","phone":"+14155550123"}`}},
		{"identify_national_phone", ev{typ: event.Identify, user: "u-123", traits: `{"phone":"(415) 555-0123"}`}},
	}
	for i, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			e, p := tc.ev.build(b, int64(i+1))
			keys, _ := c.Extract(e, p, tc.ev.link)
			require.NotEmpty(b, keys, fmt.Sprint(tc.ev))
			b.ReportAllocs()
			for b.Loop() {
				c.Extract(e, p, tc.ev.link)
			}
		})
	}
}
