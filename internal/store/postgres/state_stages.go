package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

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
	err = inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		// Serialize writers of one model so two puts cannot take the same version.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('stage_models:' || $1::text))", m.ID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) + 1 FROM stage_models WHERE id = $1", m.ID).Scan(&m.Version); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO stage_models (id, version, stages, default_stage, created_at)
			VALUES ($1, $2, $3, $4, $5)`, m.ID, m.Version, string(stages), m.Default, m.UpdatedAt)
		return classify(err)
	})
	if err != nil {
		return store.StageModel{}, fmt.Errorf("put stage model %s: %w", m.ID, err)
	}
	return s.GetStageModel(ctx, m.ID)
}

// GetStageModel returns the latest version of id.
func (s *State) GetStageModel(ctx context.Context, id string) (store.StageModel, error) {
	m := store.StageModel{ID: id}
	var stages string
	err := s.db.pool.QueryRow(ctx, `SELECT version, stages, default_stage, created_at FROM stage_models
		WHERE id = $1 ORDER BY version DESC LIMIT 1`, id).Scan(&m.Version, &stages, &m.Default, &m.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.StageModel{}, fmt.Errorf("get stage model %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.StageModel{}, fmt.Errorf("get stage model %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(stages), &m.Stages); err != nil {
		return store.StageModel{}, fmt.Errorf("get stage model %s: decode stages: %w", id, err)
	}
	m.UpdatedAt = m.UpdatedAt.UTC()
	return m, nil
}

var _ store.StageStore = (*State)(nil)
