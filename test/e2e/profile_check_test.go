package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// wantProfile is what one merged customer must look like through the API.
type wantProfile struct {
	ref        string         // the reference to fetch, e.g. user_id:u-1
	sameAs     []string       // other references that must resolve to the same profile
	ids        []string       // exactly these identifiers, "type:value"
	traits     map[string]any // trait path -> value (JSON types: string, float64, bool)
	eventCount int64
	channels   []string
	groups     []string // group ids of the profile's accounts
	mergedFrom int      // number of profiles merged into it
}

// checkProfile fetches w.ref and compares it with w; it returns the profile.
func checkProfile(t testing.TB, s *server, w wantProfile) profileView {
	t.Helper()
	p := s.mustProfile(w.ref)
	require.Equal(t, w.ids, p.ids(), "identifiers of %s", w.ref)
	for path, want := range w.traits {
		got, ok := traitAt(p.Traits, path)
		require.True(t, ok, "profile %s has no trait %s; traits: %v", w.ref, path, p.Traits)
		require.Equal(t, want, got, "trait %s of %s", path, w.ref)
	}
	require.Equal(t, w.eventCount, p.EventCount, "event_count of %s", w.ref)
	require.Equal(t, w.channels, p.Channels, "channels of %s", w.ref)
	if w.groups != nil {
		require.Equal(t, w.groups, p.groups(), "accounts of %s", w.ref)
	}
	require.Len(t, p.MergedFrom, w.mergedFrom, "merged_from of %s: %v", w.ref, p.MergedFrom)
	for _, ref := range w.sameAs {
		q := s.mustProfile(ref)
		require.Equal(t, p.ID, q.ID, "%s must resolve to the same profile as %s", ref, w.ref)
	}
	return p
}

// traitAt reads a dotted path (address.city) from assembled traits.
func traitAt(traits map[string]any, path string) (any, bool) {
	var cur any = traits
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// requireInventedAnonymousIDs checks the server-channel rule on the timeline
// of ref: the track/page/group events carry anonymousIds that the SDK made up
// (not one of known), at least min distinct ones, and none of them resolves
// to a profile.
func requireInventedAnonymousIDs(t testing.TB, s *server, ref string, known []string, minInvented int) {
	t.Helper()
	invented := map[string]bool{}
	for _, e := range s.timeline(ref) {
		a := e.Payload.AnonymousID
		if e.Type == "identify" || e.Type == "alias" || a == "" || e.Payload.UserID == "" {
			continue
		}
		if !slices.Contains(known, a) {
			invented[a] = true
		}
	}
	require.GreaterOrEqual(t, len(invented), minInvented,
		"the timeline of %s should show anonymousIds the SDK invented on track/page/group calls", ref)
	for a := range invented {
		_, ok := s.profile("anonymous_id:" + a)
		require.False(t, ok, "anonymous_id:%s was invented by a server SDK on an event with a userId; "+
			"a server-channel source must not link it into a profile", a)
	}
}
