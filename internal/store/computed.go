package store

import (
	"context"
	"encoding/json"
	"time"
)

// ComputedTrait is a saved computed trait definition: the profile trait
// Name kept live by the processor. Definition is the canonical JSON form
// (segment.ComputedDef.JSON), stored byte for byte.
type ComputedTrait struct {
	Name       string          `json:"name"`
	Version    int             `json:"version"` // 1 at creation, +1 per put
	Definition json.RawMessage `json:"definition"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	DeletedAt  *time.Time      `json:"deleted_at,omitempty"`
}

// ComputedTraitStore keeps computed trait definitions; control-plane rows
// kept by Reset. A deleted definition keeps its row (DeletedAt set), so
// built-ins a user deleted are not re-created.
type ComputedTraitStore interface {
	// PutComputedTrait creates c.Name at c.UpdatedAt (version 1) or replaces
	// its definition (version +1, CreatedAt kept; a deleted one is revived),
	// ignoring c.Version, c.CreatedAt and c.DeletedAt, and returns the stored row.
	PutComputedTrait(ctx context.Context, c ComputedTrait) (ComputedTrait, error)
	// GetComputedTrait returns a definition, also a deleted one (DeletedAt
	// set); ErrNotFound if it never existed.
	GetComputedTrait(ctx context.Context, name string) (ComputedTrait, error)
	// ListComputedTraits lists the definitions not deleted, by name.
	ListComputedTraits(ctx context.Context) ([]ComputedTrait, error)
	// DeleteComputedTrait marks a definition deleted at at; ErrNotFound if
	// it does not exist or is already deleted.
	DeleteComputedTrait(ctx context.Context, name string, at time.Time) error
}
