package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO segments (id, name, description, version, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?)`, seg.ID, seg.Name, seg.Description, micro(seg.CreatedAt), micro(seg.CreatedAt)); err != nil {
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
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE segments SET version = version + 1, name = ?, description = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL RETURNING version`,
			seg.Name, seg.Description, micro(seg.UpdatedAt), seg.ID).Scan(&seg.Version)
		if errors.Is(err, sql.ErrNoRows) {
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
func insertSegmentVersion(ctx context.Context, tx *sql.Tx, seg store.Segment) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO segment_versions (segment_id, version, definition, text, created_at)
		VALUES (?, ?, ?, ?, ?)`, seg.ID, seg.Version, string(seg.Definition), seg.Text, micro(seg.CreatedAt)); err != nil {
		return fmt.Errorf("insert version %d: %w", seg.Version, classify(err))
	}
	return nil
}

// GetSegment returns the latest version, deleted or not.
func (s *State) GetSegment(ctx context.Context, id string) (store.Segment, error) {
	seg, err := scanSegment(s.db.r.cachedQueryRow(ctx, segmentColumns+"WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return seg, fmt.Errorf("get segment %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return seg, fmt.Errorf("get segment %s: %w", id, err)
	}
	return seg, nil
}

// ListSegments lists live segments ordered by id.
func (s *State) ListSegments(ctx context.Context) ([]store.Segment, error) {
	rows, err := s.db.r.QueryContext(ctx, segmentColumns+"WHERE s.deleted_at IS NULL ORDER BY s.id")
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

func scanSegment(r scanner) (store.Segment, error) {
	var (
		seg              store.Segment
		def              string
		created, updated int64
		deleted          sql.NullInt64
	)
	if err := r.Scan(&seg.ID, &seg.Name, &seg.Description, &seg.Version, &def, &seg.Text, &created, &updated, &deleted); err != nil {
		return store.Segment{}, err
	}
	seg.Definition = []byte(def)
	seg.CreatedAt, seg.UpdatedAt = fromMicro(created), fromMicro(updated)
	if deleted.Valid {
		t := fromMicro(deleted.Int64)
		seg.DeletedAt = &t
	}
	return seg, nil
}

// SegmentVersions lists every version of id, oldest first.
func (s *State) SegmentVersions(ctx context.Context, id string) ([]store.SegmentVersion, error) {
	rows, err := s.db.r.QueryContext(ctx, `SELECT segment_id, version, definition, text, created_at
		FROM segment_versions WHERE segment_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("list versions of segment %s: %w", id, err)
	}
	defer rows.Close()
	var out []store.SegmentVersion
	for rows.Next() {
		var (
			v       store.SegmentVersion
			def     string
			created int64
		)
		if err := rows.Scan(&v.SegmentID, &v.Version, &def, &v.Text, &created); err != nil {
			return nil, fmt.Errorf("list versions of segment %s: %w", id, err)
		}
		v.Definition, v.CreatedAt = []byte(def), fromMicro(created)
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
	err := inTx(ctx, &s.mu, s.db.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE segments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", micro(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	return nil
}
