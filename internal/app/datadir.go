package app

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Lock holds the data folder's lock file for the life of the process.
type Lock struct{ f *os.File }

// LockDir takes the data folder's exclusive lock, or returns store.ErrLocked
// when a running server (or another offline command) holds it.
func LockDir(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w (stop the server or use the online command with --url)", dir, store.ErrLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return &Lock{f: f}, nil
}

// Release drops the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return l.f.Close()
}

// RandomToken returns n random bytes, URL-safe base64 encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// readOrCreate returns the trimmed content of dir/name, creating it with
// gen() when missing. created reports that it was just made.
func readOrCreate(dir, name string, gen func() string) (val string, created bool, err error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	val = gen()
	if err := os.WriteFile(path, []byte(val+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("write %s: %w", path, err)
	}
	return val, true, nil
}

// AdminToken returns the admin token: CAIRN_ADMIN_TOKEN when set, else the
// one stored in the data folder (created on first start).
func AdminToken(dir string) (token string, created bool, err error) {
	if t := strings.TrimSpace(os.Getenv("CAIRN_ADMIN_TOKEN")); t != "" {
		return t, false, nil
	}
	return readOrCreate(dir, "admin.token", func() string { return "cairn_" + RandomToken(24) })
}

// ReadAdminToken finds the token for a client: the environment, else the data folder.
func ReadAdminToken(dir string) string {
	if t := strings.TrimSpace(os.Getenv("CAIRN_ADMIN_TOKEN")); t != "" {
		return t
	}
	b, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
