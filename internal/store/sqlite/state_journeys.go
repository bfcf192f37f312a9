package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	err = inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO journeys (id, name, status, draft, live_version, created_at, updated_at)
			VALUES (?, ?, ?, ?, 0, ?, ?)`, j.ID, j.Name, store.JourneyDraft, draft, micro(j.CreatedAt), micro(j.CreatedAt))
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("create journey %s: %w", j.ID, err)
	}
	return nil
}

// UpdateJourneyDraft replaces the draft and name of id.
func (s *State) UpdateJourneyDraft(ctx context.Context, id, name string, draft json.RawMessage, at time.Time) error {
	d, err := textJSON("draft", draft, true)
	if err != nil {
		return fmt.Errorf("update journey %s: %w", id, err)
	}
	err = s.updateJourney(ctx, "UPDATE journeys SET name = ?, draft = ?, updated_at = ? WHERE id = ?", name, d, micro(at), id)
	if err != nil {
		return fmt.Errorf("update journey %s: %w", id, err)
	}
	return nil
}

// SetJourneyStatus sets the status of id to live, paused or stopped.
func (s *State) SetJourneyStatus(ctx context.Context, id, status string, at time.Time) error {
	if err := checkJourneyStatus(status); err != nil {
		return fmt.Errorf("set status of journey %s: %w", id, err)
	}
	if err := s.updateJourney(ctx, "UPDATE journeys SET status = ?, updated_at = ? WHERE id = ?", status, micro(at), id); err != nil {
		return fmt.Errorf("set status of journey %s: %w", id, err)
	}
	return nil
}

// updateJourney runs one UPDATE of a journey row; ErrNotFound if it matched none.
func (s *State) updateJourney(ctx context.Context, q string, args ...any) error {
	return inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, store.ErrNotFound)
		}
		return nil
	})
}

// PublishJourney appends the next version of id with def and makes it live.
func (s *State) PublishJourney(ctx context.Context, id string, def json.RawMessage, at time.Time) (int, error) {
	d, err := textJSON("definition", def, false)
	if err != nil {
		return 0, fmt.Errorf("publish journey %s: %w", id, err)
	}
	var version int
	err = inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE journeys SET live_version = live_version + 1, status = ?, updated_at = ?
			WHERE id = ? RETURNING live_version`, store.JourneyLive, micro(at), id).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO journey_versions (journey_id, version, definition, published_at)
			VALUES (?, ?, ?, ?)`, id, version, d, micro(at))
		return classify(err)
	})
	if err != nil {
		return 0, fmt.Errorf("publish journey %s: %w", id, err)
	}
	return version, nil
}

// GetJourney returns one journey.
func (s *State) GetJourney(ctx context.Context, id string) (store.Journey, error) {
	j, err := scanJourney(s.db.r.cachedQueryRow(ctx, "SELECT "+journeyColumns+" FROM journeys WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("get journey %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("get journey %s: %w", id, err)
	}
	return j, nil
}

// ListJourneys lists every journey ordered by id.
func (s *State) ListJourneys(ctx context.Context) ([]store.Journey, error) {
	rows, err := s.db.r.cachedQuery(ctx, "SELECT "+journeyColumns+" FROM journeys ORDER BY id")
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

func scanJourney(r scanner) (store.Journey, error) {
	var (
		j                store.Journey
		draft            string
		created, updated int64
	)
	if err := r.Scan(&j.ID, &j.Name, &j.Status, &draft, &j.LiveVersion, &created, &updated); err != nil {
		return store.Journey{}, err
	}
	j.Draft = rawJSON(draft)
	j.CreatedAt, j.UpdatedAt = fromMicro(created), fromMicro(updated)
	return j, nil
}

// JourneyVersions lists the published versions of id, oldest first; none
// for a journey never published, ErrNotFound for an unknown journey.
func (s *State) JourneyVersions(ctx context.Context, id string) ([]store.JourneyVersion, error) {
	rows, err := s.db.r.cachedQuery(ctx, `SELECT journey_id, version, definition, published_at
		FROM journey_versions WHERE journey_id = ? ORDER BY version`, id)
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
	v, err := scanJourneyVersion(s.db.r.cachedQueryRow(ctx, `SELECT journey_id, version, definition, published_at
		FROM journey_versions WHERE journey_id = ? AND version = ?`, id, version))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("get journey %s version %d: %w", id, version, store.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("get journey %s version %d: %w", id, version, err)
	}
	return v, nil
}

func scanJourneyVersion(r scanner) (store.JourneyVersion, error) {
	var (
		v         store.JourneyVersion
		def       string
		published int64
	)
	if err := r.Scan(&v.JourneyID, &v.Version, &def, &published); err != nil {
		return store.JourneyVersion{}, err
	}
	v.Definition, v.PublishedAt = rawJSON(def), fromMicro(published)
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

// nullJSON is textJSON for a nullable column: NULL when absent.
func nullJSON(what string, v json.RawMessage) (any, error) {
	t, err := textJSON(what, v, true)
	if err != nil || t == "" {
		return nil, err
	}
	return t, nil
}

// rawJSON returns a stored JSON text; nil when absent.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

var _ store.JourneyStore = (*State)(nil)
