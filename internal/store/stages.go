package store

import (
	"context"
	"time"
)

// StageModelDefault is the id of the one active lifecycle stage model.
const StageModelDefault = "default"

// Stage is one named lifecycle stage, backed by a segment: a profile is in
// the stage when it is a member of the segment (and of no earlier stage's).
type Stage struct {
	Name      string `json:"name"`
	SegmentID string `json:"segment_id"`
}

// StageModel is an ordered list of stages plus the default stage of a
// profile that is in none of their segments. Each profile is in exactly one
// stage: the first whose segment it is a member of, else Default.
type StageModel struct {
	ID        string    `json:"id"`
	Version   int       `json:"version"` // 1 at creation, +1 per update
	Stages    []Stage   `json:"stages"`
	Default   string    `json:"default"`
	UpdatedAt time.Time `json:"updated_at"` // time of this version
}

// StageStore keeps lifecycle stage models, every version; control-plane
// rows kept by Reset.
type StageStore interface {
	// PutStageModel saves m as the next version of m.ID (1 when new) at
	// m.UpdatedAt, ignoring m.Version, and returns the stored row.
	PutStageModel(ctx context.Context, m StageModel) (StageModel, error)
	// GetStageModel returns the latest version of a model; ErrNotFound if
	// it was never saved.
	GetStageModel(ctx context.Context, id string) (StageModel, error)
}
