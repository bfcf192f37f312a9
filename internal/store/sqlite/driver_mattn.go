//go:build sqlite_mattn

package sqlite

import (
	"database/sql/driver"

	msqlite "github.com/mattn/go-sqlite3"
)

// driverName names the SQLite driver compiled in; see docs/storage.md for why.
const driverName = "github.com/mattn/go-sqlite3"

func sqliteDriver() driver.Driver { return &msqlite.SQLiteDriver{} }
