// Package sqlite implements the store contract on embedded SQLite: the event
// log in log.db and the state store in state.db, so log appends and state
// writes never share one writer lock.
//
// Both databases run in WAL mode with secure_delete on. log.db uses
// synchronous=FULL: every Append is one transaction (one group commit) and is
// fsync'd before it returns, so an acknowledged event survives power loss.
// state.db uses synchronous=NORMAL: it is derived from the log and Apply
// writes the checkpoint in the same transaction, so state can always be
// rebuilt from the log.
//
// Each database has one writer connection (writes are serialized in-process,
// never by SQLITE_BUSY retries) and a separate pool of query-only readers.
// Times are stored as int64 Unix microseconds (UTC). The database/sql driver
// is chosen in one place, driver_*.go, by build tag.
package sqlite
