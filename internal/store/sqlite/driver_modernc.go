//go:build sqlite_modernc

package sqlite

import (
	"database/sql/driver"

	msqlite "modernc.org/sqlite"
)

// driverName names the SQLite driver compiled in; see docs/storage.md for why.
const driverName = "modernc.org/sqlite"

func sqliteDriver() driver.Driver { return &msqlite.Driver{} }
