package identity_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/identity/identitytest"
	"github.com/cairn-cdp/cairn/internal/store"
)

func TestResolveScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tweak  func(*identity.Config)
		events []ev
		want   []string // final partition
		check  func(t *testing.T, ds []identity.Decision, g *identitytest.Graph)
	}{
		{
			name: "identify links anonymous visitor to user",
			events: []ev{
				{typ: event.Page, anon: "a1", link: true},
				{typ: event.Identify, user: "u1", anon: "a1", traits: `{"email":" Pia@NTO.example "}`},
				{typ: event.Track, user: "u1"},
			},
			want: []string{"anonymous_id:a1, email:pia@nto.example, user_id:u1"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.True(t, ds[0].Created)
				require.Equal(t, "p1", ds[1].ProfileID)
				require.False(t, ds[1].Created)
				require.Equal(t, ks("user_id:u1", "email:pia@nto.example"), ds[1].Link)
				require.Equal(t, ks("user_id:u1", "email:pia@nto.example", "anonymous_id:a1"), ds[1].Keys)
				require.Equal(t, "p1", ds[2].ProfileID)
				require.Empty(t, ds[2].Link)
			},
		},
		{
			name: "alias previousId unknown becomes anonymous_id",
			events: []ev{
				{typ: event.Track, anon: "a1"},
				{typ: event.Alias, user: "u1", prev: "a1"},
				{typ: event.Alias, user: "u2", prev: "fresh"},
			},
			want: []string{"anonymous_id:a1, user_id:u1", "anonymous_id:fresh, user_id:u2"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.Equal(t, "p1", ds[1].ProfileID)
				require.Equal(t, ks("user_id:u1"), ds[1].Link)
				require.True(t, ds[2].Created)
				require.Equal(t, ks("user_id:u2", "anonymous_id:fresh"), ds[2].Link)
			},
		},
		{
			name:  "alias previousId known as user_id merges when the limit allows",
			tweak: func(c *identity.Config) { setRule(c, identity.TypeUserID, 2, 1) },
			events: []ev{
				{typ: event.Identify, user: "old", traits: `{"email":"a@x.example"}`},
				{typ: event.Alias, user: "new", prev: "old"},
			},
			want: []string{"email:a@x.example, user_id:new, user_id:old"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.Equal(t, "p1", ds[1].ProfileID)
				require.Equal(t, ks("user_id:new", "user_id:old"), ds[1].Keys)
				require.Equal(t, ks("user_id:new"), ds[1].Link)
			},
		},
		{
			name: "alias between two user ids is refused at user_id limit 1",
			events: []ev{
				{typ: event.Identify, user: "old"},
				{typ: event.Alias, user: "new", prev: "old"},
			},
			want: []string{"user_id:new", "user_id:old"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				d := ds[1]
				require.Equal(t, "p2", d.ProfileID, "the event goes to the alias userId")
				require.True(t, d.Created)
				require.Equal(t, ks("user_id:old"), d.Dropped)
				require.Len(t, d.Refused, 1)
				require.Equal(t, "p2", d.Refused[0].Winner)
				require.Equal(t, "p1", d.Refused[0].Loser)
				require.Contains(t, d.Refused[0].Reason, "user_id limit 1 exceeded")
			},
		},
		{
			name: "alias with previousId equal to userId links nothing twice",
			events: []ev{
				{typ: event.Alias, user: "u1", prev: "u1"},
			},
			want: []string{"user_id:u1"},
		},
		{
			name: "email links two anonymous devices; the older profile survives",
			events: []ev{
				{typ: event.Page, anon: "phone-app"},
				{typ: event.Page, anon: "laptop"},
				{typ: event.Identify, anon: "laptop", traits: `{"email":"pia@nto.example"}`},
				{typ: event.Identify, anon: "phone-app", traits: `{"email":"PIA@nto.example"}`},
			},
			want: []string{"anonymous_id:laptop, anonymous_id:phone-app, email:pia@nto.example"},
			check: func(t *testing.T, ds []identity.Decision, g *identitytest.Graph) {
				d := ds[3]
				require.Equal(t, "p1", d.ProfileID)
				require.Equal(t, []string{"p2"}, d.Merged)
				require.Equal(t, []store.Merge{{Winner: "p1", Loser: "p2", Via: ks("email:pia@nto.example")}}, d.Merges)
				require.Equal(t, "p1", g.Resolve("p2"))
			},
		},
		{
			name: "two users sharing an email: merge refused, event on the user_id profile",
			events: []ev{
				{typ: event.Identify, user: "u1", traits: `{"email":"family@nto.example"}`},
				{typ: event.Identify, user: "u2", traits: `{"email":"family@nto.example"}`},
				{typ: event.Track, user: "u2"},
			},
			want: []string{"email:family@nto.example, user_id:u1", "user_id:u2"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				d := ds[1]
				require.Equal(t, "p2", d.ProfileID)
				require.True(t, d.Created)
				require.Empty(t, d.Merged)
				require.Equal(t, ks("user_id:u2"), d.Keys)
				require.Equal(t, ks("email:family@nto.example"), d.Dropped)
				require.Equal(t, []store.Merge{{
					Winner: "p2", Loser: "p1", Refused: true,
					Reason:  "user_id limit 1 exceeded: merging would give the profile 2 values",
					Dropped: ks("email:family@nto.example"), Via: ks("email:family@nto.example"),
				}}, d.Refused)
				require.Equal(t, "p2", ds[2].ProfileID)
			},
		},
		{
			name: "shared device: second user's login does not take the first user's device",
			events: []ev{
				{typ: event.Identify, user: "u1", anon: "kiosk"},
				{typ: event.Identify, user: "u2", anon: "kiosk"},
				{typ: event.Track, anon: "kiosk"},
			},
			want: []string{"anonymous_id:kiosk, user_id:u1", "user_id:u2"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.Equal(t, ks("anonymous_id:kiosk"), ds[1].Dropped)
				require.Equal(t, "p1", ds[2].ProfileID)
			},
		},
		{
			name: "priority: phone outranks email, the email's profile is refused",
			tweak: func(c *identity.Config) {
				setRule(c, identity.TypePhone, 1, 2)
				setRule(c, identity.TypeEmail, 5, 3)
			},
			events: []ev{
				{typ: event.Identify, anon: "a1", traits: `{"email":"e1@x.example","phone":"+14155550101"}`},
				{typ: event.Identify, anon: "a2", traits: `{"email":"e2@x.example","phone":"+14155550102"}`},
				{typ: event.Identify, anon: "a3", traits: `{"email":"e2@x.example","phone":"+14155550101"}`},
			},
			want: []string{
				"anonymous_id:a1, anonymous_id:a3, email:e1@x.example, phone:+14155550101",
				"anonymous_id:a2, email:e2@x.example, phone:+14155550102",
			},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.Equal(t, "p1", ds[2].ProfileID)
				require.Equal(t, ks("email:e2@x.example"), ds[2].Dropped)
				require.Contains(t, ds[2].Refused[0].Reason, "phone limit 1 exceeded")
			},
		},
		{
			name: "priority: email outranks phone, the phone's profile is refused",
			tweak: func(c *identity.Config) {
				setRule(c, identity.TypePhone, 1, 3)
				setRule(c, identity.TypeEmail, 5, 2)
			},
			events: []ev{
				{typ: event.Identify, anon: "a1", traits: `{"email":"e1@x.example","phone":"+14155550101"}`},
				{typ: event.Identify, anon: "a2", traits: `{"email":"e2@x.example","phone":"+14155550102"}`},
				{typ: event.Identify, anon: "a3", traits: `{"email":"e2@x.example","phone":"+14155550101"}`},
			},
			want: []string{
				"anonymous_id:a1, email:e1@x.example, phone:+14155550101",
				"anonymous_id:a2, anonymous_id:a3, email:e2@x.example, phone:+14155550102",
			},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				require.Equal(t, "p2", ds[2].ProfileID)
				require.Equal(t, ks("phone:+14155550101"), ds[2].Dropped)
			},
		},
		{
			name: "link limit: a sixth email is not linked",
			events: []ev{
				{typ: event.Identify, user: "u1", traits: `{"email":"1@x.example"}`},
				{typ: event.Identify, user: "u1", traits: `{"email":"2@x.example"}`},
				{typ: event.Identify, user: "u1", traits: `{"email":"3@x.example"}`},
				{typ: event.Identify, user: "u1", traits: `{"email":"4@x.example"}`},
				{typ: event.Identify, user: "u1", traits: `{"email":"5@x.example"}`},
				{typ: event.Identify, user: "u1", traits: `{"email":"6@x.example"}`},
			},
			want: []string{"email:1@x.example, email:2@x.example, email:3@x.example, email:4@x.example, email:5@x.example, user_id:u1"},
			check: func(t *testing.T, ds []identity.Decision, _ *identitytest.Graph) {
				d := ds[5]
				require.Equal(t, "p1", d.ProfileID)
				require.Equal(t, ks("email:6@x.example"), d.Dropped)
				require.Equal(t, []store.Merge{{
					Winner: "p1", Refused: true,
					Reason:  "email limit 5 exceeded: linking email would give the profile 6 values",
					Dropped: ks("email:6@x.example"),
				}}, d.Refused)
			},
		},
		{
			name: "blocked values are never identifiers",
			events: []ev{
				{typ: event.Identify, user: "null", anon: "a1", traits: `{"email":"test@test.com","phone":"0"}`},
				{typ: event.Identify, user: "undefined", anon: "a2", traits: `{"email":"Test@Test.com"}`},
			},
			want: []string{"anonymous_id:a1", "anonymous_id:a2"},
		},
		{
			name: "custom blocked value",
			tweak: func(c *identity.Config) {
				c.Rules[identity.TypeEmail] = identity.Rule{Limit: 5, Priority: 2, Blocked: []string{"noreply@nto.example"}}
			},
			events: []ev{
				{typ: event.Identify, anon: "a1", traits: `{"email":"NoReply@nto.example"}`},
				{typ: event.Identify, anon: "a2", traits: `{"email":"noreply@nto.example"}`},
			},
			want: []string{"anonymous_id:a1", "anonymous_id:a2"},
		},
		{
			name: "phone numbers in several formats are one identifier",
			events: []ev{
				{typ: event.Identify, anon: "a1", traits: `{"phone":"(415) 555-0123"}`},
				{typ: event.Identify, anon: "a2", traits: `{"phone":"+1 415 555 0123"}`},
				{typ: event.Identify, anon: "a3", context: `{"traits":{"phone":4155550123}}`},
				{typ: event.Identify, anon: "a4", traits: `{"phone":"1-415-555-0123"}`},
			},
			want: []string{"anonymous_id:a1, anonymous_id:a2, anonymous_id:a3, anonymous_id:a4, phone:+14155550123"},
		},
		{
			name: "externalIds link on any event type",
			events: []ev{
				{typ: event.Track, user: "u1", context: `{"externalIds":[{"id":"Pia@NTO.example","type":"email","collection":"users"}]}`},
				{typ: event.Screen, anon: "dev-9", context: `{"externalIds":[{"id":"pia@nto.example","type":"EMAIL"},{"id":42,"type":"loyalty_id"}]}`},
			},
			want: []string{"anonymous_id:dev-9, email:pia@nto.example, loyalty_id:42, user_id:u1"},
		},
		{
			name:  "configured trait keys are custom identifiers",
			tweak: func(c *identity.Config) { c.TraitKeys = []string{"loyaltyId"} },
			events: []ev{
				{typ: event.Identify, user: "u1", traits: `{"loyaltyId":"L-7"}`},
				{typ: event.Identify, anon: "store-pos", context: `{"traits":{"loyaltyId":"L-7"}}`},
			},
			want: []string{"anonymous_id:store-pos, loyaltyid:L-7, user_id:u1"},
		},
		{
			name: "server source: random anonymousId is not linked",
			events: []ev{
				{typ: event.Track, user: "u1", anon: "rand-1"},
				{typ: event.Page, user: "u1", anon: "rand-2"},
				{typ: event.Group, user: "u1", anon: "rand-3"},
			},
			want: []string{"user_id:u1"},
		},
		{
			name: "client source: anonymousId on track is linked",
			events: []ev{
				{typ: event.Track, anon: "a1", link: true},
				{typ: event.Track, user: "u1", anon: "a1", link: true},
			},
			want: []string{"anonymous_id:a1, user_id:u1"},
		},
		{
			name: "anonymousId is used when userId is blocked",
			events: []ev{
				{typ: event.Track, user: "null", anon: "a1"},
			},
			want: []string{"anonymous_id:a1"},
		},
		{
			name: "group does not link two people of one account",
			events: []ev{
				{typ: event.Group, user: "u1", traits: `{"email":"billing@acme.example","name":"Acme"}`},
				{typ: event.Group, user: "u2", traits: `{"email":"billing@acme.example","name":"Acme"}`},
			},
			want: []string{"user_id:u1", "user_id:u2"},
		},
		{
			name: "three profiles merge into the oldest, transitively",
			events: []ev{
				{typ: event.Page, anon: "a1"},
				{typ: event.Page, anon: "a2"},
				{typ: event.Page, anon: "a3"},
				{typ: event.Identify, anon: "a3", traits: `{"email":"e@x.example"}`},
				{typ: event.Identify, anon: "a2", traits: `{"email":"e@x.example","phone":"+14155550100"}`},
				{typ: event.Identify, anon: "a1", traits: `{"phone":"+14155550100"}`},
			},
			want: []string{"anonymous_id:a1, anonymous_id:a2, anonymous_id:a3, email:e@x.example, phone:+14155550100"},
			check: func(t *testing.T, ds []identity.Decision, g *identitytest.Graph) {
				require.Equal(t, "p2", ds[4].ProfileID)
				require.Equal(t, []string{"p3"}, ds[4].Merged)
				require.Equal(t, "p1", ds[5].ProfileID)
				require.Equal(t, []string{"p2"}, ds[5].Merged)
				for _, p := range []string{"p1", "p2", "p3"} {
					require.Equal(t, "p1", g.Resolve(p))
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newResolver(t, tc.tweak)
			g := identitytest.New()
			ds := apply(t, r, g, tc.events)
			require.Equal(t, tc.want, g.Partition())
			if tc.check != nil {
				tc.check(t, ds, g)
			}
		})
	}
}

func TestResolveNoIdentifiers(t *testing.T) {
	t.Parallel()
	r := newResolver(t, nil)
	g := identitytest.New()
	_, err := resolveOne(t, r, g, ev{typ: event.Identify, user: "null", anon: "undefined", traits: `{"email":"n/a"}`}, 1)
	require.ErrorIs(t, err, identity.ErrNoIdentifiers)
	_, err = resolveOne(t, r, g, ev{typ: event.Track, anon: "a1"}, 2)
	require.NoError(t, err)
}

func TestResolveGraphErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	r := newResolver(t, nil)
	g := identitytest.New()
	apply(t, r, g, []ev{
		{typ: event.Identify, user: "u1"},
		{typ: event.Identify, anon: "a2", traits: `{"email":"e@x.example"}`},
	})
	g.Err = boom
	_, err := r.Resolve(t.Context(), g, ks("user_id:u1", "email:e@x.example"), "p9")
	require.ErrorIs(t, err, boom)
	require.Contains(t, err.Error(), "look up 2 identifiers")
}

func TestResolveReadsLazily(t *testing.T) {
	t.Parallel()
	r := newResolver(t, nil)
	g := identitytest.New()
	apply(t, r, g, []ev{{typ: event.Identify, user: "u1", anon: "a1", traits: `{"email":"e@x.example"}`}})
	tests := []struct {
		name           string
		keys           []store.IdentityKey
		identities     int
		rank           int
		wantProfile    string
		wantLinkLength int
	}{
		{name: "known user", keys: ks("user_id:u1"), wantProfile: "p1"},
		{name: "known user, new anonymous id", keys: ks("user_id:u1", "anonymous_id:a2"), wantProfile: "p1", wantLinkLength: 1},
		{name: "new anonymous id", keys: ks("anonymous_id:a3"), wantProfile: "new", wantLinkLength: 1},
		{name: "known user, new email checks the limit", keys: ks("user_id:u1", "email:f@x.example"), identities: 1, wantProfile: "p1", wantLinkLength: 1},
	}
	for _, tc := range tests { // sequential: the cases share g's call counters
		t.Run(tc.name, func(t *testing.T) {
			identities, rank := g.Calls["Identities"], g.Calls["Rank"]
			d, err := r.Resolve(t.Context(), g, tc.keys, "new")
			require.NoError(t, err)
			require.Equal(t, tc.wantProfile, d.ProfileID)
			require.Len(t, d.Link, tc.wantLinkLength)
			require.Equal(t, tc.identities, g.Calls["Identities"]-identities)
			require.Equal(t, tc.rank, g.Calls["Rank"]-rank)
		})
	}
}

func TestResolveSortsUnsortedInput(t *testing.T) {
	t.Parallel()
	r := newResolver(t, nil)
	g := identitytest.New()
	keys := ks("anonymous_id:a1", "email:e@x.example", "user_id:u1", "email:e@x.example")
	d, err := r.Resolve(t.Context(), g, keys, "p1")
	require.NoError(t, err)
	require.Equal(t, ks("user_id:u1", "email:e@x.example", "anonymous_id:a1"), d.Keys)
	require.Equal(t, ks("anonymous_id:a1", "email:e@x.example", "user_id:u1", "email:e@x.example"), keys, "input untouched")
}
