// Package sqlite implements the store contract on embedded SQLite: the event
// log in log.db and the state store in state.db, so log appends and state
// writes never share one writer lock.
//
// Both databases run in WAL mode with secure_delete on. Every Append is one
// transaction (one group commit) and is fsync'd before it returns, so an
// acknowledged event survives power loss: log.db's writer runs
// synchronous=NORMAL and the Log flushes its WAL itself, which lets the
// ingest committer commit one group while the last one is flushed
// (AppendUnsynced, Sync; log_sync.go). state.db uses synchronous=NORMAL: it
// is derived from the log and Apply writes the checkpoint in the same
// transaction, so state can always be rebuilt from the log.
//
// Each database has one writer connection (writes are serialized in-process,
// never by SQLITE_BUSY retries), a separate pool of query-only readers and a
// background checkpointer connection (checkpoint.go).
// Times are stored as int64 Unix microseconds (UTC). The database/sql driver
// is chosen in one place, driver_*.go, by build tag.
package sqlite
