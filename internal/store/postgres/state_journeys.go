package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

const journeyColumns = "id, name, status, draft, live_version, created_at, updated_at"

// CreateJourney saves j as a draft (Status draft, no live version, updated at
// its creation time).
func (s *State) CreateJourney(ctx context.Context, j store.Journey) error {
	if j.ID == "" {
		return errors.New("create journey: empty id")
	}
	draft, err := textJSON("draft", j.Draft, true)
	if err != nil {
		return fmt.Errorf("create journey %s: %w", j.ID, err)
	}
	if _, err := s.db.pool.Exec(ctx, `INSERT INTO journeys (id, name, status, draft, live_version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 0, $5, $5)`, j.ID, j.Name, store.JourneyDraft, draft, j.CreatedAt); err != nil {
		return fmt.Errorf("create journey %s: %w", j.ID, classify(err))
	}
	return nil
}

// UpdateJourneyDraft replaces the draft and name of id.
func (s *State) UpdateJourneyDraft(ctx context.Context, id, name string, draft json.RawMessage, at time.Time) error {
	d, err := textJSON("draft", draft, true)
	if err != nil {
		return fmt.Errorf("update journey %s: %w", id, err)
	}
	if err := s.updateJourney(ctx, "UPDATE journeys SET name = $1, draft = $2, updated_at = $3 WHERE id = $4", name, d, at, id); err != nil {
		return fmt.Errorf("update journey %s: %w", id, err)
	}
	return nil
}

// SetJourneyStatus sets the status of id to live, paused or stopped.
func (s *State) SetJourneyStatus(ctx context.Context, id, status string, at time.Time) error {
	if err := checkJourneyStatus(status); err != nil {
		return fmt.Errorf("set status of journey %s: %w", id, err)
	}
	if err := s.updateJourney(ctx, "UPDATE journeys SET status = $1, updated_at = $2 WHERE id = $3", status, at, id); err != nil {
		return fmt.Errorf("set status of journey %s: %w", id, err)
	}
	return nil
}

// updateJourney runs one UPDATE of a journey row; ErrNotFound if it matched none.
func (s *State) updateJourney(ctx context.Context, q string, args ...any) error {
	tag, err := s.db.pool.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// PublishJourney appends the next version of id with def and makes it live.
// The row lock of the UPDATE serializes concurrent publishes of one journey.
func (s *State) PublishJourney(ctx context.Context, id string, def json.RawMessage, at time.Time) (int, error) {
	d, err := textJSON("definition", def, false)
	if err != nil {
		return 0, fmt.Errorf("publish journey %s: %w", id, err)
	}
	var version int
	err = inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE journeys SET live_version = live_version + 1, status = $1, updated_at = $2
			WHERE id = $3 RETURNING live_version`, store.JourneyLive, at, id).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO journey_versions (journey_id, version, definition, published_at)
			VALUES ($1, $2, $3, $4)`, id, version, d, at)
		return classify(err)
	})
	if err != nil {
		return 0, fmt.Errorf("publish journey %s: %w", id, err)
	}
	return version, nil
}

// GetJourney returns one journey.
func (s *State) GetJourney(ctx context.Context, id string) (store.Journey, error) {
	j, err := scanJourney(s.db.pool.QueryRow(ctx, "SELECT "+journeyColumns+" FROM journeys WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return j, fmt.Errorf("get journey %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("get journey %s: %w", id, err)
	}
	return j, nil
}

// ListJourneys lists every journey ordered by id.
func (s *State) ListJourneys(ctx context.Context) ([]store.Journey, error) {
	rows, err := s.db.pool.Query(ctx, "SELECT "+journeyColumns+" FROM journeys ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list journeys: %w", err)
	}
	defer rows.Close()
	var out []store.Journey
	for rows.Next() {
		j, err := scanJourney(rows)
		if err != nil {
			return nil, fmt.Errorf("list journeys: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list journeys: %w", err)
	}
	return out, nil
}

func scanJourney(r pgx.Row) (store.Journey, error) {
	var (
		j     store.Journey
		draft string
	)
	if err := r.Scan(&j.ID, &j.Name, &j.Status, &draft, &j.LiveVersion, &j.CreatedAt, &j.UpdatedAt); err != nil {
		return store.Journey{}, err
	}
	j.Draft = rawJSON(draft)
	j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	return j, nil
}

// JourneyVersions lists the published versions of id, oldest first; none
// for a journey never published, ErrNotFound for an unknown journey.
func (s *State) JourneyVersions(ctx context.Context, id string) ([]store.JourneyVersion, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT journey_id, version, definition, published_at
		FROM journey_versions WHERE journey_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("list versions of journey %s: %w", id, err)
	}
	defer rows.Close()
	var out []store.JourneyVersion
	for rows.Next() {
		v, err := scanJourneyVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("list versions of journey %s: %w", id, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list versions of journey %s: %w", id, err)
	}
	if len(out) == 0 {
		if _, err := s.GetJourney(ctx, id); err != nil {
			return nil, fmt.Errorf("list versions: %w", err)
		}
	}
	return out, nil
}

// GetJourneyVersion returns one published version.
func (s *State) GetJourneyVersion(ctx context.Context, id string, version int) (store.JourneyVersion, error) {
	v, err := scanJourneyVersion(s.db.pool.QueryRow(ctx, `SELECT journey_id, version, definition, published_at
		FROM journey_versions WHERE journey_id = $1 AND version = $2`, id, version))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("get journey %s version %d: %w", id, version, store.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("get journey %s version %d: %w", id, version, err)
	}
	return v, nil
}

func scanJourneyVersion(r pgx.Row) (store.JourneyVersion, error) {
	var (
		v   store.JourneyVersion
		def string
	)
	if err := r.Scan(&v.JourneyID, &v.Version, &def, &v.PublishedAt); err != nil {
		return store.JourneyVersion{}, err
	}
	v.Definition, v.PublishedAt = rawJSON(def), v.PublishedAt.UTC()
	return v, nil
}

// checkJourneyStatus accepts the statuses SetJourneyStatus may set.
func checkJourneyStatus(status string) error {
	switch status {
	case store.JourneyLive, store.JourneyPaused, store.JourneyStopped:
		return nil
	}
	return fmt.Errorf("status %q: want %s, %s or %s", status, store.JourneyLive, store.JourneyPaused, store.JourneyStopped)
}

// textJSON returns v as stored, byte for byte: "" for an absent value when
// optional, else v, which must be valid JSON.
func textJSON(what string, v json.RawMessage, optional bool) (string, error) {
	if len(v) == 0 {
		if optional {
			return "", nil
		}
		return "", fmt.Errorf("empty %s: want a JSON value", what)
	}
	if !json.Valid(v) {
		return "", fmt.Errorf("%s %.64q is not valid JSON", what, v)
	}
	return string(v), nil
}

// nullJSON is textJSON for a nullable column: nil when absent.
func nullJSON(what string, v json.RawMessage) (*string, error) {
	t, err := textJSON(what, v, true)
	if err != nil || t == "" {
		return nil, err
	}
	return &t, nil
}

// rawJSON returns a stored JSON text; nil when absent.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

var _ store.JourneyStore = (*State)(nil)
