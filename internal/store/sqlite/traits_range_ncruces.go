//go:build !sqlite_mattn && !sqlite_modernc

package sqlite

import (
	"context"
	"fmt"

	nsqlite "github.com/ncruces/go-sqlite3/driver"

	"github.com/cairn-cdp/cairn/internal/store"
)

// traitsRange runs a ProfileTraitsBetween query (columns profile_id, path,
// value, time, source_id, computed) on a reader's ncruces connection
// directly. A backfill reads every trait row of a 2,000-profile key range
// per page, and through database/sql each row cost ~3 µs of conversions
// and copies (a million-profile backfill: 3.6 s of 41 s of CPU). Here the
// profile id, path and source id are shared by the rows that repeat them
// (rows come in key order), and only the value is copied.
func (s *State) traitsRange(ctx context.Context, q string, args ...string) ([]store.ProfileTrait, error) {
	c, err := s.db.r.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var out []store.ProfileTrait
	err = c.Raw(func(dc any) error {
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
			if err := st.BindText(i+1, a); err != nil {
				return err
			}
		}
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
		return st.Err()
	})
	return out, err
}
