package store

import "errors"

// Sentinel errors shared by every backend; check them with errors.Is.
var (
	// ErrNotFound means the addressed row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a unique constraint would be violated.
	ErrConflict = errors.New("conflict")
	// ErrLocked means another process holds the data folder.
	ErrLocked = errors.New("data folder is locked by another process")
)
