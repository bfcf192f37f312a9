package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairn-cdp/cairn/internal/store"
)

// segmentColumns reads a segment with its latest version.
const segmentColumns = `SELECT s.id, s.name, s.description, s.version, v.definition, v.text, s.created_at, s.updated_at, s.deleted_at
	FROM segments s JOIN segment_versions v ON v.segment_id = s.id AND v.version = s.version `

// CreateSegment saves s as version 1.
func (s *State) CreateSegment(ctx context.Context, seg store.Segment) (store.Segment, error) {
	if seg.ID == "" {
		return store.Segment{}, errors.New("create segment: empty id")
	}
	seg.Version, seg.UpdatedAt, seg.DeletedAt = 1, seg.CreatedAt, nil
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO segments (id, name, description, version, created_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $4)`, seg.ID, seg.Name, seg.Description, seg.CreatedAt); err != nil {
			return classify(err)
		}
		return insertSegmentVersion(ctx, tx, seg)
	})
	if err != nil {
		return store.Segment{}, fmt.Errorf("create segment %s: %w", seg.ID, err)
	}
	return s.GetSegment(ctx, seg.ID)
}

// UpdateSegment appends the next version of seg.ID.
func (s *State) UpdateSegment(ctx context.Context, seg store.Segment) (store.Segment, error) {
	err := inTx(ctx, s.db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE segments SET version = version + 1, name = $1, description = $2, updated_at = $3
			WHERE id = $4 AND deleted_at IS NULL RETURNING version`,
			seg.Name, seg.Description, seg.UpdatedAt, seg.ID).Scan(&seg.Version)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return classify(err)
		}
		seg.CreatedAt = seg.UpdatedAt
		return insertSegmentVersion(ctx, tx, seg)
	})
	if err != nil {
		return store.Segment{}, fmt.Errorf("update segment %s: %w", seg.ID, err)
	}
	return s.GetSegment(ctx, seg.ID)
}

// insertSegmentVersion writes version seg.Version created at seg.CreatedAt.
func insertSegmentVersion(ctx context.Context, tx pgx.Tx, seg store.Segment) error {
	if _, err := tx.Exec(ctx, `INSERT INTO segment_versions (segment_id, version, definition, text, created_at)
		VALUES ($1, $2, $3, $4, $5)`, seg.ID, seg.Version, string(seg.Definition), seg.Text, seg.CreatedAt); err != nil {
		return fmt.Errorf("insert version %d: %w", seg.Version, classify(err))
	}
	return nil
}

// GetSegment returns the latest version, deleted or not.
func (s *State) GetSegment(ctx context.Context, id string) (store.Segment, error) {
	seg, err := scanSegment(s.db.pool.QueryRow(ctx, segmentColumns+"WHERE s.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return seg, fmt.Errorf("get segment %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return seg, fmt.Errorf("get segment %s: %w", id, err)
	}
	return seg, nil
}

// ListSegments lists live segments ordered by id.
func (s *State) ListSegments(ctx context.Context) ([]store.Segment, error) {
	rows, err := s.db.pool.Query(ctx, segmentColumns+"WHERE s.deleted_at IS NULL ORDER BY s.id")
	if err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	defer rows.Close()
	var out []store.Segment
	for rows.Next() {
		seg, err := scanSegment(rows)
		if err != nil {
			return nil, fmt.Errorf("list segments: %w", err)
		}
		out = append(out, seg)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list segments: %w", err)
	}
	return out, nil
}

func scanSegment(r pgx.Row) (store.Segment, error) {
	var (
		seg store.Segment
		def string
	)
	if err := r.Scan(&seg.ID, &seg.Name, &seg.Description, &seg.Version, &def, &seg.Text,
		&seg.CreatedAt, &seg.UpdatedAt, &seg.DeletedAt); err != nil {
		return store.Segment{}, err
	}
	seg.Definition = []byte(def)
	seg.CreatedAt, seg.UpdatedAt = seg.CreatedAt.UTC(), seg.UpdatedAt.UTC()
	if seg.DeletedAt != nil {
		t := seg.DeletedAt.UTC()
		seg.DeletedAt = &t
	}
	return seg, nil
}

// SegmentVersions lists every version of id, oldest first.
func (s *State) SegmentVersions(ctx context.Context, id string) ([]store.SegmentVersion, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT segment_id, version, definition, text, created_at
		FROM segment_versions WHERE segment_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("list versions of segment %s: %w", id, err)
	}
	defer rows.Close()
	var out []store.SegmentVersion
	for rows.Next() {
		var (
			v   store.SegmentVersion
			def string
		)
		if err := rows.Scan(&v.SegmentID, &v.Version, &def, &v.Text, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("list versions of segment %s: %w", id, err)
		}
		v.Definition, v.CreatedAt = []byte(def), v.CreatedAt.UTC()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list versions of segment %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("list versions of segment %s: %w", id, store.ErrNotFound)
	}
	return out, nil
}

// DeleteSegment marks id deleted at at.
func (s *State) DeleteSegment(ctx context.Context, id string, at time.Time) error {
	tag, err := s.db.pool.Exec(ctx, "UPDATE segments SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL", at, id)
	if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete segment %s: %w", id, store.ErrNotFound)
	}
	return nil
}
