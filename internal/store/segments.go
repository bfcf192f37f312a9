package store

import (
	"context"
	"encoding/json"
	"time"
)

// Segment is a saved segment definition at its latest version. Definition
// is the canonical JSON form (segment.Definition.JSON) and Text its text
// form; both are stored as given, byte for byte.
type Segment struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Version     int             `json:"version"` // 1 at creation, +1 per update
	Definition  json.RawMessage `json:"definition"`
	Text        string          `json:"text"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"` // time of the latest version
	DeletedAt   *time.Time      `json:"deleted_at,omitempty"`
}

// SegmentVersion is one immutable version of a segment's definition.
type SegmentVersion struct {
	SegmentID  string          `json:"segment_id"`
	Version    int             `json:"version"`
	Definition json.RawMessage `json:"definition"`
	Text       string          `json:"text"`
	CreatedAt  time.Time       `json:"created_at"`
}

// SegmentStore keeps segment definitions with every version. Names are
// unique among segments that are not deleted (ErrConflict otherwise).
type SegmentStore interface {
	// CreateSegment saves s as version 1 created and updated at s.CreatedAt
	// (s.Version, s.UpdatedAt and s.DeletedAt are ignored) and returns the
	// stored row. ErrConflict if the id, or the name of a live segment, exists.
	CreateSegment(ctx context.Context, s Segment) (Segment, error)
	// UpdateSegment appends version n+1 of s.ID with s.Definition and s.Text
	// at s.UpdatedAt, replaces its Name and Description, and returns the
	// stored row. Earlier versions never change. ErrNotFound if the segment
	// does not exist or is deleted; ErrConflict if the name is taken.
	UpdateSegment(ctx context.Context, s Segment) (Segment, error)
	// GetSegment returns the latest version, also of a deleted segment
	// (DeletedAt set); ErrNotFound if it never existed.
	GetSegment(ctx context.Context, id string) (Segment, error)
	// SegmentVersions lists every version of a segment, oldest first;
	// ErrNotFound if it never existed.
	SegmentVersions(ctx context.Context, id string) ([]SegmentVersion, error)
	// ListSegments lists the segments not deleted, ordered by id.
	ListSegments(ctx context.Context) ([]Segment, error)
	// DeleteSegment marks a segment deleted at at (its versions stay);
	// ErrNotFound if it does not exist or is already deleted.
	DeleteSegment(ctx context.Context, id string, at time.Time) error
}
