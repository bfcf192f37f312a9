package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// multiRowSizes are the row counts of prepared multi-row statements, largest
// first. Any row count is written as a sum of them (99 = 64+32+2+1), so a
// bulk write costs a handful of statements instead of one per row.
//
// Statements are prepared lazily by ensure, which callers run before they
// begin the transaction: the writer pool has a single connection, so
// preparing on the pool inside a transaction would wait forever.
var multiRowSizes = [...]int{64, 32, 16, 8, 4, 2, 1}

// multiRow is one statement of the form prefix (?,...),(?,...) suffix,
// prepared at every size of multiRowSizes.
type multiRow struct {
	prefix, suffix string
	row            string                        // one row's values, e.g. (?, ?, '') ; default all placeholders
	cols           int                           // bound values per row
	stmts          [len(multiRowSizes)]*sql.Stmt // nil until ensured
}

func newMultiRow(prefix string, cols int, suffix string) *multiRow {
	return &multiRow{prefix: prefix, suffix: suffix, cols: cols, row: "(" + placeholders(cols) + ")"}
}

// newMultiRowTemplate is newMultiRow with rows written as row, which binds
// cols values and may hold constants.
func newMultiRowTemplate(prefix, row string, cols int, suffix string) *multiRow {
	return &multiRow{prefix: prefix, suffix: suffix, cols: cols, row: row}
}

// ensure prepares, on db, every size that writing up to rows rows can use.
// The caller holds the writer mutex and has no transaction open.
func (m *multiRow) ensure(ctx context.Context, db *sql.DB, rows int) error {
	for i, size := range multiRowSizes {
		if size > rows || m.stmts[i] != nil {
			continue
		}
		var b strings.Builder
		b.WriteString(m.prefix)
		for r := range size {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteString(m.row)
		}
		b.WriteString(m.suffix)
		st, err := db.PrepareContext(ctx, b.String())
		if err != nil {
			return fmt.Errorf("prepare %.80q: %w", b.String(), err)
		}
		m.stmts[i] = st
	}
	return nil
}

// exec writes len(args)/cols rows.
func (m *multiRow) exec(ctx context.Context, tx *sql.Tx, args []any) error {
	return m.each(args, func(st *sql.Stmt, part []any) error {
		_, err := tx.StmtContext(ctx, st).ExecContext(ctx, part...)
		return err
	})
}

// execCount writes len(args)/cols rows and returns how many rows the
// statement changed (inserted, updated or deleted) over all of them.
func (m *multiRow) execCount(ctx context.Context, tx *sql.Tx, args []any) (int64, error) {
	var n int64
	err := m.each(args, func(st *sql.Stmt, part []any) error {
		res, err := tx.StmtContext(ctx, st).ExecContext(ctx, part...)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		n += k
		return err
	})
	return n, err
}

// query runs the statement over len(args)/cols rows and calls fn for every
// result row.
func (m *multiRow) query(ctx context.Context, tx *sql.Tx, args []any, fn func(*sql.Rows) error) error {
	return m.each(args, func(st *sql.Stmt, part []any) error {
		rows, err := tx.StmtContext(ctx, st).QueryContext(ctx, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

func (m *multiRow) each(args []any, fn func(st *sql.Stmt, part []any) error) error {
	if len(args)%m.cols != 0 {
		return fmt.Errorf("multi-row statement: %d arguments for rows of %d", len(args), m.cols)
	}
	rows := len(args) / m.cols
	for i, size := range multiRowSizes {
		for rows >= size {
			if m.stmts[i] == nil {
				return fmt.Errorf("multi-row statement %.40q of %d rows was not prepared; call ensure before the transaction", m.prefix, size)
			}
			n := size * m.cols
			if err := fn(m.stmts[i], args[:n]); err != nil {
				return err
			}
			args, rows = args[n:], rows-size
		}
	}
	return nil
}

func (m *multiRow) close() error {
	if m == nil {
		return nil
	}
	var errs []error
	for _, st := range m.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
