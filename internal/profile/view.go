package profile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Reader is what the 360° view reads from the state store.
type Reader interface {
	LookupIdentities(ctx context.Context, keys []store.IdentityKey) ([]store.Identity, error)
	ProfileIdentities(ctx context.Context, profileID string) ([]store.Identity, error)
	GetProfile(ctx context.Context, id string) (store.Profile, error)
	MergedFrom(ctx context.Context, id string) ([]string, error)
	ProfileTraits(ctx context.Context, profileID string) ([]store.Trait, error)
	ProfileAccounts(ctx context.Context, profileID string) ([]store.Membership, error)
}

// ErrBadRef means a profile reference is not `type:value` or a profile id.
var ErrBadRef = errors.New("bad profile reference")

// Normalizer normalizes an identifier value of a type (email lower-cased, phone E.164...).
type Normalizer func(typ, value string) (string, bool)

// View is the unified 360° profile as the API returns it.
type View struct {
	ID         string              `json:"id"`
	Traits     map[string]any      `json:"traits"`
	TraitMeta  map[string]TraitRef `json:"trait_meta"`
	Identities []IdentityView      `json:"identities"`
	Sources    []string            `json:"sources"`
	Channels   []string            `json:"channels"`
	Accounts   []store.Membership  `json:"accounts"`
	FirstSeen  time.Time           `json:"first_seen"`
	LastSeen   time.Time           `json:"last_seen"`
	EventCount int64               `json:"event_count"`
	MergedFrom []string            `json:"merged_from"`
}

// TraitRef is the provenance of one trait leaf.
type TraitRef struct {
	Time     time.Time `json:"time"`
	SourceID string    `json:"source_id"`
	Computed bool      `json:"computed,omitempty"`
}

// IdentityView is one identifier of a profile.
type IdentityView struct {
	Type      string    `json:"type"`
	Value     string    `json:"value"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Resolve turns a reference (`type:value` or a profile id) into the id of
// the surviving profile. It returns store.ErrNotFound when nothing matches.
func Resolve(ctx context.Context, r Reader, ref string, norm Normalizer) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", fmt.Errorf("%w: empty; use type:value (user_id:u-123, email:pia@nto.example) or a profile id", ErrBadRef)
	}
	typ, value, ok := strings.Cut(ref, ":")
	if !ok {
		return follow(ctx, r, ref)
	}
	if typ == "" || value == "" {
		return "", fmt.Errorf("%w: %q needs both a type and a value, e.g. email:pia@nto.example", ErrBadRef, ref)
	}
	if norm != nil {
		if v, ok := norm(typ, value); ok {
			value = v
		}
	}
	ids, err := r.LookupIdentities(ctx, []store.IdentityKey{{Type: typ, Value: value}})
	if err != nil {
		return "", fmt.Errorf("look up %s: %w", typ, err)
	}
	if len(ids) == 0 {
		return "", store.ErrNotFound
	}
	return follow(ctx, r, ids[0].ProfileID)
}

// follow walks MergedInto to the surviving profile.
func follow(ctx context.Context, r Reader, id string) (string, error) {
	for range 64 {
		p, err := r.GetProfile(ctx, id)
		if err != nil {
			return "", err
		}
		if p.MergedInto == "" {
			return p.ID, nil
		}
		id = p.MergedInto
	}
	return "", fmt.Errorf("profile %s: merge chain too long", id)
}

// Load assembles the 360° view of a surviving profile id.
func Load(ctx context.Context, r Reader, id string) (*View, error) {
	p, err := r.GetProfile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load profile %s: %w", id, err)
	}
	ids, err := r.ProfileIdentities(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load identities of %s: %w", id, err)
	}
	traits, err := r.ProfileTraits(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load traits of %s: %w", id, err)
	}
	merged, err := r.MergedFrom(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load merges of %s: %w", id, err)
	}
	accts, err := r.ProfileAccounts(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load accounts of %s: %w", id, err)
	}
	v := &View{
		ID: p.ID, Traits: Assemble(traits), TraitMeta: make(map[string]TraitRef, len(traits)),
		Sources: nonNil(p.Sources), Channels: nonNil(p.Channels), Accounts: accts,
		FirstSeen: p.FirstSeen, LastSeen: p.LastSeen, EventCount: p.EventCount, MergedFrom: nonNil(merged),
		Identities: make([]IdentityView, 0, len(ids)),
	}
	if v.Accounts == nil {
		v.Accounts = []store.Membership{}
	}
	for _, t := range traits {
		v.TraitMeta[t.Path] = TraitRef{Time: t.Time, SourceID: t.SourceID, Computed: t.Computed}
	}
	for _, i := range ids {
		v.Identities = append(v.Identities, IdentityView{Type: i.Type, Value: i.Value, FirstSeen: i.FirstSeen, LastSeen: i.LastSeen})
	}
	return v, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
