package identity_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/identity"
	"github.com/cairn-cdp/cairn/internal/identity/identitytest"
	"github.com/cairn-cdp/cairn/internal/store"
)

// ev is a test event in shorthand.
type ev struct {
	typ              event.Type
	user, anon, prev string
	traits           string // JSON object or ""
	context          string // JSON object or ""
	link             bool   // the source links anonymousId on non-identify events
}

func (e ev) build(tb testing.TB, seq int64) (*event.Event, *event.Payload) {
	tb.Helper()
	var raw strings.Builder
	raw.WriteString("{")
	if e.traits != "" {
		raw.WriteString(`"traits":` + e.traits)
	}
	if e.context != "" {
		if e.traits != "" {
			raw.WriteString(",")
		}
		raw.WriteString(`"context":` + e.context)
	}
	raw.WriteString("}")
	typ := e.typ
	if typ == "" {
		typ = event.Track
	}
	out := &event.Event{
		Seq: seq, MessageID: fmt.Sprintf("m%d", seq), Type: typ,
		UserID: e.user, AnonymousID: e.anon, PreviousID: e.prev,
		Raw: json.RawMessage(raw.String()),
	}
	p, err := out.DecodePayload()
	require.NoError(tb, err)
	return out, p
}

// k builds an identity key from "type:value".
func k(s string) store.IdentityKey {
	t, v, _ := strings.Cut(s, ":")
	return store.IdentityKey{Type: t, Value: v}
}

func ks(ss ...string) []store.IdentityKey {
	if len(ss) == 0 {
		return nil
	}
	out := make([]store.IdentityKey, len(ss))
	for i, s := range ss {
		out[i] = k(s)
	}
	return out
}

// apply extracts, resolves and applies each event in turn (seq = index+1,
// new profile ids p<seq>), returning the decisions.
func apply(tb testing.TB, r *identity.Resolver, g *identitytest.Graph, evs []ev) []identity.Decision {
	tb.Helper()
	out := make([]identity.Decision, len(evs))
	for i, e := range evs {
		seq := int64(i + 1)
		d, err := resolveOne(tb, r, g, e, seq)
		require.NoError(tb, err, "event %d", seq)
		out[i] = d
	}
	return out
}

func resolveOne(tb testing.TB, r *identity.Resolver, g *identitytest.Graph, e ev, seq int64) (identity.Decision, error) {
	tb.Helper()
	evt, p := e.build(tb, seq)
	keys, _ := r.Config().Extract(evt, p, e.link)
	d, err := r.Resolve(tb.Context(), g, keys, fmt.Sprintf("p%d", seq))
	if err != nil {
		return d, err
	}
	require.NoError(tb, g.Apply(d, seq), "apply event %d", seq)
	return d, nil
}

func newResolver(tb testing.TB, tweak func(*identity.Config)) *identity.Resolver {
	tb.Helper()
	c := identity.DefaultConfig()
	if tweak != nil {
		tweak(&c)
	}
	r, err := identity.NewResolver(c)
	require.NoError(tb, err)
	return r
}

// setRule replaces the rule of type t, keeping the default blocked values.
func setRule(c *identity.Config, t string, limit, priority int) {
	c.Rules[t] = identity.Rule{Limit: limit, Priority: priority, Blocked: identity.DefaultBlocked()}
}
