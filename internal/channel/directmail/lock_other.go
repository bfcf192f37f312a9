//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package directmail

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockDir only creates dir/.lock here: this platform has no flock, so two
// Senders on one directory are not detected.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock of %s: %w", dir, err)
	}
	return f, nil
}

func unlockDir(f *os.File) error { return f.Close() }

// syncDir is a no-op where directories cannot be fsynced (Windows).
func syncDir(string) error { return nil }
