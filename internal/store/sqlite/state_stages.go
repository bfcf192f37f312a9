package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/store"
)

// PutStageModel saves m as the next version of m.ID.
func (s *State) PutStageModel(ctx context.Context, m store.StageModel) (store.StageModel, error) {
	if m.ID == "" {
		return store.StageModel{}, errors.New("put stage model: empty id")
	}
	stages, err := json.Marshal(m.Stages)
	if err != nil {
		return store.StageModel{}, fmt.Errorf("put stage model %s: encode stages: %w", m.ID, err)
	}
	err = inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) + 1 FROM stage_models WHERE id = ?", m.ID).Scan(&m.Version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO stage_models (id, version, stages, default_stage, created_at)
			VALUES (?, ?, ?, ?, ?)`, m.ID, m.Version, string(stages), m.Default, micro(m.UpdatedAt))
		return classify(err)
	})
	if err != nil {
		return store.StageModel{}, fmt.Errorf("put stage model %s: %w", m.ID, err)
	}
	return s.GetStageModel(ctx, m.ID)
}

// GetStageModel returns the latest version of id.
func (s *State) GetStageModel(ctx context.Context, id string) (store.StageModel, error) {
	var (
		m       = store.StageModel{ID: id}
		stages  string
		created int64
	)
	err := s.db.r.QueryRowContext(ctx, `SELECT version, stages, default_stage, created_at FROM stage_models
		WHERE id = ? ORDER BY version DESC LIMIT 1`, id).Scan(&m.Version, &stages, &m.Default, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.StageModel{}, fmt.Errorf("get stage model %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.StageModel{}, fmt.Errorf("get stage model %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(stages), &m.Stages); err != nil {
		return store.StageModel{}, fmt.Errorf("get stage model %s: decode stages: %w", id, err)
	}
	m.UpdatedAt = fromMicro(created)
	return m, nil
}

var _ store.StageStore = (*State)(nil)
