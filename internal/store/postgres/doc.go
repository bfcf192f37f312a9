// Package postgres implements the store contract on PostgreSQL through
// pgx/v5 (pgxpool). The log and the state store share one pool and live in
// one schema, created if missing, so that tests can use a fresh schema each.
//
// Append serializes on the log_counters row (SELECT ... FOR UPDATE), which
// also hands out sequence numbers, so several processes may append safely.
// Times are timestamptz (microsecond precision), returned in UTC.
package postgres
