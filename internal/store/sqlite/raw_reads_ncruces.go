//go:build !sqlite_mattn && !sqlite_modernc

package sqlite

import (
	"context"
	"fmt"

	ncruces "github.com/ncruces/go-sqlite3"
	nsqlite "github.com/ncruces/go-sqlite3/driver"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Reads that return thousands of rows per call, once per backfill page, run
// on a reader's ncruces connection directly: through database/sql each row
// costs microseconds of conversions and copies.

// rawQuery prepares q on a reader's connection, binds args (strings and
// ints) and hands the statement to read, which steps it.
func (s *State) rawQuery(ctx context.Context, q string, args []any, read func(st *ncruces.Stmt) error) error {
	c, err := s.db.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		nc, ok := dc.(nsqlite.Conn)
		if !ok {
			return fmt.Errorf("reader connection is a %T, not an ncruces connection", dc)
		}
		conn := nc.Raw()
		defer conn.SetInterrupt(conn.SetInterrupt(ctx))
		st, _, err := conn.Prepare(q)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, a := range args {
			switch v := a.(type) {
			case string:
				err = st.BindText(i+1, v)
			case int:
				err = st.BindInt64(i+1, int64(v))
			default:
				err = fmt.Errorf("bind argument %d: unsupported %T", i+1, a)
			}
			if err != nil {
				return err
			}
		}
		if err := read(st); err != nil {
			return err
		}
		return st.Err()
	})
}

// traitsRange runs a ProfileTraitsBetween query (columns profile_id, path,
// value, time, source_id, computed). A backfill reads every trait row of a
// 2,000-profile key range per page (through database/sql: ~3 µs a row, 3.6
// s of 41 s of CPU for a million profiles). The profile id, path and source
// id are shared by the rows that repeat them (rows come in key order), and
// only the value is copied.
func (s *State) traitsRange(ctx context.Context, q string, args ...any) ([]store.ProfileTrait, error) {
	var out []store.ProfileTrait
	err := s.rawQuery(ctx, q, args, func(st *ncruces.Stmt) error {
		var profile, source string
		paths := map[string]string{}
		for st.Step() {
			var t store.ProfileTrait
			if b := st.ColumnRawText(0); string(b) == profile {
				t.ProfileID = profile
			} else {
				profile = string(b)
				t.ProfileID = profile
			}
			if p, ok := paths[string(st.ColumnRawText(1))]; ok {
				t.Path = p
			} else {
				t.Path = string(st.ColumnRawText(1))
				paths[t.Path] = t.Path
			}
			t.Value = append([]byte(nil), st.ColumnRawText(2)...)
			t.Time = fromMicro(st.ColumnInt64(3))
			if b := st.ColumnRawText(4); string(b) == source {
				t.SourceID = source
			} else {
				source = string(b)
				t.SourceID = source
			}
			t.Computed = st.ColumnInt64(5) != 0
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// rawStrings runs a query of one text column. A backfill lists every
// profile id, 2,000 a page (through database/sql: ~2 µs a row, 7 % of the
// CPU of a backfill over 200k profiles).
func (s *State) rawStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	var out []string
	err := s.rawQuery(ctx, q, args, func(st *ncruces.Stmt) error {
		for st.Step() {
			out = append(out, string(st.ColumnRawText(0)))
		}
		return nil
	})
	return out, err
}
