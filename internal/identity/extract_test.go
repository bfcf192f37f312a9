package identity_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
)

func TestExtract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		traitKeys   []string
		ev          ev
		wantKeys    []string
		wantBlocked []string
	}{
		{
			name:     "identify reads ids, traits and context.traits",
			ev:       ev{typ: event.Identify, user: " u-1 ", anon: "a-1", traits: `{"email":" Pia@NTO.Example ","phone":"(415) 555-0123","name":"Pia"}`, context: `{"traits":{"email":"pia.work@nto.example"}}`},
			wantKeys: []string{"user_id:u-1", "email:pia.work@nto.example", "email:pia@nto.example", "phone:+14155550123", "anonymous_id:a-1"},
		},
		{
			name:     "identify always links anonymousId",
			ev:       ev{typ: event.Identify, user: "u1", anon: "a1", link: false},
			wantKeys: []string{"user_id:u1", "anonymous_id:a1"},
		},
		{
			name:     "track without link drops anonymousId when userId is usable",
			ev:       ev{typ: event.Track, user: "u1", anon: "a1", traits: `{"email":"x@y.example"}`},
			wantKeys: []string{"user_id:u1"},
		},
		{
			name:     "track with link keeps anonymousId",
			ev:       ev{typ: event.Track, user: "u1", anon: "a1", link: true},
			wantKeys: []string{"user_id:u1", "anonymous_id:a1"},
		},
		{
			name:        "track keeps anonymousId when userId is blocked",
			ev:          ev{typ: event.Track, user: "Undefined", anon: "a1"},
			wantKeys:    []string{"anonymous_id:a1"},
			wantBlocked: []string{"user_id:Undefined"},
		},
		{
			name:     "track ignores context.traits",
			ev:       ev{typ: event.Page, anon: "a1", context: `{"traits":{"email":"x@y.example"}}`},
			wantKeys: []string{"anonymous_id:a1"},
		},
		{
			name:     "alias returns previous_id",
			ev:       ev{typ: event.Alias, user: "u1", prev: "a1", anon: "a9"},
			wantKeys: []string{"user_id:u1", "previous_id:a1"},
		},
		{
			name:     "group: groupId and account traits are no identifiers",
			ev:       ev{typ: event.Group, user: "u1", traits: `{"email":"ap@acme.example","phone":"+14155550000"}`},
			wantKeys: []string{"user_id:u1"},
		},
		{
			name:        "externalIds: types lower-cased, email and phone normalized, bad types blocked",
			ev:          ev{typ: event.Track, user: "u1", context: `{"externalIds":[{"id":"A@B.example","type":"Email"},{"id":"+44 20 7946 0958","type":"phone"},{"id":"IDFA-1","type":"ios.idfa"},{"id":7,"type":"Loyalty_ID"},{"id":"x","type":"bad type"},{"id":"y","type":"previous_id"},{"id":{"o":1},"type":"obj"},{"id":"z","type":""}]}`},
			wantKeys:    []string{"user_id:u1", "email:a@b.example", "phone:+442079460958", "ios.idfa:IDFA-1", "loyalty_id:7"},
			wantBlocked: []string{":z", "bad type:x", "previous_id:y"},
		},
		{
			name:        "blocked values, case-insensitive, every type",
			ev:          ev{typ: event.Identify, user: "NULL", anon: " ", traits: `{"email":"TEST@example.com","phone":"-1"}`, context: `{"externalIds":[{"id":"N/A","type":"crm_id"}]}`},
			wantBlocked: []string{"anonymous_id:", "crm_id:N/A", "email:TEST@example.com", "phone:-1", "user_id:NULL"},
		},
		{
			name:        "not an email, not a phone",
			ev:          ev{typ: event.Identify, anon: "a1", traits: `{"email":"pia at nto","phone":"call me"}`},
			wantKeys:    []string{"anonymous_id:a1"},
			wantBlocked: []string{"email:pia at nto", "phone:call me"},
		},
		{
			name:     "non-scalar trait values are no identifiers",
			ev:       ev{typ: event.Identify, anon: "a1", traits: `{"email":{"work":"x@y.example"},"phone":null}`},
			wantKeys: []string{"anonymous_id:a1"},
		},
		{
			name:      "configured trait keys, type lower-cased",
			traitKeys: []string{"loyalty_id", "Device_ID"},
			ev:        ev{typ: event.Identify, user: "u1", traits: `{"loyalty_id":12345678,"Device_ID":"d-1"}`},
			wantKeys:  []string{"user_id:u1", "device_id:d-1", "loyalty_id:12345678"},
		},
		{
			name:     "duplicates collapse",
			ev:       ev{typ: event.Identify, anon: "a1", traits: `{"email":"a@b.example"}`, context: `{"traits":{"email":"A@B.example"},"externalIds":[{"id":"a@b.example","type":"email"}]}`},
			wantKeys: []string{"email:a@b.example", "anonymous_id:a1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := identity.DefaultConfig()
			c.TraitKeys = tc.traitKeys
			require.NoError(t, c.Validate())
			e, p := tc.ev.build(t, 1)
			keys, blocked := c.Extract(e, p, tc.ev.link)
			require.Equal(t, ks(tc.wantKeys...), keys)
			require.Equal(t, ks(tc.wantBlocked...), blocked)
			explained := c.ExplainBlocked(e, p, tc.ev.link)
			require.Len(t, explained, len(blocked))
		})
	}
}

func TestExtractNilPayload(t *testing.T) {
	t.Parallel()
	keys, blocked := identity.DefaultConfig().Extract(&event.Event{Type: event.Track, UserID: "u1"}, nil, false)
	require.Equal(t, ks("user_id:u1"), keys)
	require.Empty(t, blocked)
}

func TestExplainBlocked(t *testing.T) {
	t.Parallel()
	c := identity.DefaultConfig()
	e, p := ev{typ: event.Identify, user: "null", anon: "a1",
		traits:  `{"email":"nope","phone":"12"}`,
		context: `{"externalIds":[{"id":"x","type":"has space"},{"id":"y","type":"previous_id"}]}`}.build(t, 1)
	got := c.ExplainBlocked(e, p, false)
	want := []struct{ field, reason, text string }{
		{"userId", identity.ReasonBlockedValue, `userId "null" is a blocked placeholder value for user_id; send the real identifier or leave the field out`},
		{"traits.email", identity.ReasonNotEmail, `traits.email "nope" is not an email address (it needs a name, '@' and a domain); send a real address or leave it out`},
		{"traits.phone", identity.ReasonInvalidPhone, `traits.phone "12" is not a phone number; send E.164 (+14155550123) or a national number of the configured phone region`},
		{"context.externalIds[0].type", identity.ReasonInvalidType, `context.externalIds[0].type "x" has type "has space"; an identifier type is 1 to 64 letters, digits, '_', '.' or '-'`},
		{"context.externalIds[1].type", identity.ReasonReservedType, `context.externalIds[1].type "y" uses the reserved type previous_id; send a previous id with an alias call instead`},
	}
	require.Len(t, got, len(want))
	for i, w := range want {
		require.Equal(t, w.field, got[i].Field)
		require.Equal(t, w.reason, got[i].Reason)
		require.Equal(t, w.text, got[i].String())
	}
}

func TestExtractTooLong(t *testing.T) {
	t.Parallel()
	long := make([]byte, identity.MaxValueLen+1)
	for i := range long {
		long[i] = 'x'
	}
	c := identity.DefaultConfig()
	e := &event.Event{Type: event.Track, UserID: string(long), AnonymousID: "a1"}
	keys, blocked := c.Extract(e, nil, false)
	require.Equal(t, ks("anonymous_id:a1"), keys)
	require.Len(t, blocked, 1)
	require.Equal(t, identity.ReasonTooLong, c.ExplainBlocked(e, nil, false)[0].Reason)
}

func TestPhoneNormalization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region, in, want string // want "" = blocked
	}{
		{"US", "+14155550123", "+14155550123"},
		{"US", "(415) 555-0123", "+14155550123"},
		{"US", "415.555.0123", "+14155550123"},
		{"US", "1-415-555-0123", "+14155550123"},
		{"US", "+1 (415) 555-0123 ext. 12", "+14155550123"},
		{"US", "tel:+1-415-555-0123", "+14155550123"},
		{"US", "+44 20 7946 0958", "+442079460958"},
		{"US", "0044 20 7946 0958", ""}, // 00 is not the US international prefix
		{"GB", "020 7946 0958", "+442079460958"},
		{"GB", "0044 20 7946 0958", "+442079460958"},
		{"DE", "030 1234567", "+49301234567"},
		{"US", "12", ""},
		{"US", "555", ""},
		{"US", "phone", ""},
		{"US", "+1 415 555 01234567", ""},
	}
	for _, tc := range tests {
		t.Run(tc.region+"/"+tc.in, func(t *testing.T) {
			t.Parallel()
			c := identity.DefaultConfig()
			c.PhoneRegion = tc.region
			e, p := ev{typ: event.Identify, anon: "a1", traits: `{"phone":"` + tc.in + `"}`}.build(t, 1)
			keys, blocked := c.Extract(e, p, false)
			if tc.want == "" {
				require.Equal(t, ks("phone:"+tc.in), blocked)
				require.Equal(t, ks("anonymous_id:a1"), keys)
				return
			}
			require.Empty(t, blocked)
			require.Equal(t, ks("phone:"+tc.want, "anonymous_id:a1"), keys)
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	c := identity.DefaultConfig()
	tests := []struct {
		typ, in, want string
		ok            bool
	}{
		{identity.TypeEmail, " Pia@NTO.example ", "pia@nto.example", true},
		{identity.TypePhone, "(415) 555-0123", "+14155550123", true},
		{identity.TypeUserID, " u-1 ", "u-1", true},
		{"loyalty_id", "L-7", "L-7", true},
		{identity.TypeUserID, "NULL", "", false},
		{identity.TypeEmail, "nope", "", false},
		{identity.TypePhone, "12", "", false},
	}
	for _, tc := range tests {
		got, ok := c.Normalize(tc.typ, tc.in)
		require.Equal(t, tc.ok, ok, "%s:%q", tc.typ, tc.in)
		require.Equal(t, tc.want, got, "%s:%q", tc.typ, tc.in)
	}
}
