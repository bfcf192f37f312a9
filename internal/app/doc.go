// Package app wires Cairn together explicitly, with no DI container: it opens
// the data folder (lock, secrets, stores), builds the ingest path, the
// processor, the privacy service and the HTTP API, and runs the long-lived
// components as a group until the context ends.
package app
