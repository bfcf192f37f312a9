package identity_test

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/store"
)

func FuzzExtract(f *testing.F) {
	for _, seed := range []string{
		`{"type":"identify","userId":"u1","anonymousId":"a1","traits":{"email":" A@B.example ","phone":"(415) 555-0123"}}`,
		`{"type":"identify","userId":" null ","traits":{"email":"nope","phone":"+44 20 7946 0958","loyalty_id":42},"context":{"traits":{"email":"x@y.z","phone":4155550123}}}`,
		`{"type":"track","userId":"u1","anonymousId":"r","context":{"externalIds":[{"id":"E@X.com","type":"Email"},{"id":1e21,"type":"crm"},{"id":"x","type":"a b"}]}}`,
		`{"type":"alias","userId":"u2","previousId":"u1"}`,
		`{"type":"group","groupId":"g","userId":"u","traits":{"email":"billing@acme.example"}}`,
		`{"type":"identify","anonymousId":"İSTANBUL","traits":{"email":"İ@Ⱥ.example","phone":"tel:+1-800-FLOWERS"}}`,
		`{"type":"page","anonymousId":"\u0000","context":{"externalIds":[{"id":null,"type":"email"},{"id":"","type":"phone"}]}}`,
		`{}`,
		`[1,2]`,
	} {
		f.Add([]byte(seed), false, "US")
		f.Add([]byte(seed), true, "GB")
	}
	f.Fuzz(func(t *testing.T, data []byte, link bool, region string) {
		c := identity.DefaultConfig()
		c.TraitKeys = []string{"loyalty_id", "Device_ID"}
		if c.PhoneRegion = region; c.Validate() != nil {
			c.PhoneRegion = "US"
		}
		e := fuzzEvent(data)
		p, err := e.DecodePayload()
		if err != nil {
			p = nil
		}
		keys, blocked := c.Extract(e, p, link)
		requireNormalized(t, c, keys)
		// ExplainBlocked reports the same values, with a field and a known reason.
		var explained []store.IdentityKey
		for _, b := range c.ExplainBlocked(e, p, link) {
			require.NotEmpty(t, b.Field)
			require.Contains(t, []string{
				identity.ReasonBlockedValue, identity.ReasonNotEmail, identity.ReasonInvalidPhone,
				identity.ReasonTooLong, identity.ReasonInvalidType, identity.ReasonReservedType,
			}, b.Reason)
			require.NotContains(t, b.String(), "cannot be used")
			explained = append(explained, b.IdentityKey)
		}
		byTypeValue := func(a, b store.IdentityKey) int {
			return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value))
		}
		slices.SortFunc(explained, byTypeValue)
		require.Equal(t, slices.Compact(explained), blocked)
	})
}

// fuzzEvent reads the top-level identifiers of data the way the event
// parser lifts them (strings only), keeping data as Raw.
func fuzzEvent(data []byte) *event.Event {
	var top struct {
		Type        string `json:"type"`
		UserID      any    `json:"userId"`
		AnonymousID any    `json:"anonymousId"`
		PreviousID  any    `json:"previousId"`
	}
	_ = json.Unmarshal(data, &top) // a non-object body still exercises the payload path
	str := func(v any) string {
		s, _ := v.(string)
		return s
	}
	return &event.Event{
		Type: event.Type(top.Type), UserID: str(top.UserID), AnonymousID: str(top.AnonymousID),
		PreviousID: str(top.PreviousID), Raw: data,
	}
}

// requireNormalized checks that keys are sorted, unique, usable and already
// in normal form: extracting each again yields it unchanged.
func requireNormalized(t *testing.T, c identity.Config, keys []store.IdentityKey) {
	t.Helper()
	sorted := slices.Clone(keys)
	slices.SortStableFunc(sorted, func(a, b store.IdentityKey) int {
		pa, pb := c.Rule(a.Type).Priority, c.Rule(b.Type).Priority
		switch {
		case pa != pb:
			return pa - pb
		case a.Type != b.Type && a.Type == identity.TypePreviousID:
			return 1
		case a.Type != b.Type && b.Type == identity.TypePreviousID:
			return -1
		}
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Value, b.Value))
	})
	require.Equal(t, sorted, keys, "sorted by (priority, type, value)")
	for i, k := range keys {
		require.NotEmpty(t, k.Type)
		require.NotEmpty(t, k.Value)
		require.Equal(t, strings.TrimSpace(k.Value), k.Value)
		require.LessOrEqual(t, len(k.Value), identity.MaxValueLen)
		if i > 0 {
			require.NotEqual(t, keys[i-1], k, "unique")
		}
		for _, b := range c.Rule(k.Type).Blocked {
			require.False(t, strings.EqualFold(b, k.Value), "blocked value %q kept", k.Value)
		}
		switch k.Type {
		case identity.TypeEmail:
			require.Equal(t, strings.ToLower(k.Value), k.Value)
			at := strings.IndexByte(k.Value, '@')
			require.True(t, at > 0 && at < len(k.Value)-1, "email %q", k.Value)
		case identity.TypePhone:
			require.Regexp(t, `^\+[1-9][0-9]{1,16}$`, k.Value)
		case identity.TypePreviousID:
			again, _ := c.Extract(&event.Event{Type: event.Alias, UserID: "fuzz-user", PreviousID: k.Value}, nil, false)
			require.Contains(t, again, k)
			continue
		}
		// Idempotent: the normalized value reads back as itself.
		raw, err := json.Marshal(map[string]any{"context": map[string]any{
			"externalIds": []map[string]string{{"id": k.Value, "type": k.Type}},
		}})
		require.NoError(t, err)
		again, blocked := c.Extract(&event.Event{Type: event.Track, Raw: raw}, mustPayload(t, raw), false)
		require.Empty(t, blocked, "%s:%q re-extracted", k.Type, k.Value)
		require.Equal(t, []store.IdentityKey{k}, again)
	}
}

func mustPayload(t *testing.T, raw []byte) *event.Payload {
	t.Helper()
	p, err := (&event.Event{Raw: raw}).DecodePayload()
	require.NoError(t, err)
	return p
}
