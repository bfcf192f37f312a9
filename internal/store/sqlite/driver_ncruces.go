//go:build !sqlite_mattn && !sqlite_modernc

package sqlite

import (
	"database/sql/driver"

	nsqlite "github.com/ncruces/go-sqlite3/driver"
)

// driverName names the SQLite driver compiled in; see docs/storage.md for why.
const driverName = "github.com/ncruces/go-sqlite3"

func sqliteDriver() driver.Driver { return &nsqlite.SQLite{} }
