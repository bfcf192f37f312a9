//go:build !linux

package sqlite

import "os"

// fdatasync flushes f; where fdatasync(2) is missing, fsync does.
func fdatasync(f *os.File) error { return f.Sync() }
