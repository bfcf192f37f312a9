package audience

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// atomicFile is a CSV file written under a temporary name (".<name>.tmp"
// in the same directory) and renamed over the final name on commit, so a
// reader sees the old file or the new one, never a part.
type atomicFile struct {
	f     *os.File
	bw    *bufio.Writer
	cw    *csv.Writer
	tmp   string
	final string
	done  bool
}

func createAtomic(dir, name string) (*atomicFile, error) {
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, err)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	return &atomicFile{f: f, bw: bw, cw: csv.NewWriter(bw), tmp: tmp, final: filepath.Join(dir, name)}, nil
}

func (a *atomicFile) write(rec []string) error {
	if err := a.cw.Write(rec); err != nil {
		return fmt.Errorf("write %s: %w", a.final, err)
	}
	return nil
}

// commit flushes, fsyncs and renames the file into place. The caller
// fsyncs the directory once every file is in place.
func (a *atomicFile) commit() error {
	a.cw.Flush()
	err := a.cw.Error()
	if err == nil {
		err = a.bw.Flush()
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.tmp, a.final)
	}
	a.done = true
	if err != nil {
		_ = os.Remove(a.tmp) //nolint:errcheck // best effort: the next refresh truncates it anyway
		return fmt.Errorf("write %s: %w", a.final, err)
	}
	return nil
}

// abort drops an uncommitted file.
func (a *atomicFile) abort() {
	if a == nil || a.done {
		return
	}
	a.done = true
	_ = a.f.Close()      //nolint:errcheck // the file is thrown away
	_ = os.Remove(a.tmp) //nolint:errcheck // best effort: the next refresh truncates it anyway
}

// rowKey identifies a row: its fields joined by NUL, which normalized
// values never hold.
func rowKey(rec []string) string { return strings.Join(rec, "\x00") }

// readRows reads the rows of a previous export at path into a set (value
// false: not seen yet in this export). A missing file is an empty set; so
// is one with another header (the format changed), with a warning.
func readRows(path string, header []string, logger *slog.Logger) (map[string]bool, error) {
	rows := map[string]bool{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return rows, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open previous export: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return rows, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read previous export %s: %w", path, err)
	}
	if !slices.Equal(head, header) {
		logger.Warn("previous audience file has other columns: no removals computed", slog.String("file", path))
		return rows, nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read previous export %s: %w", path, err)
		}
		rows[rowKey(rec)] = false
	}
}

// readMembers reads a state file of hashed member ids, one per line.
func readMembers(path string) (map[string]bool, error) {
	out := map[string]bool{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open audience state: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out[line] = false
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read audience state %s: %w", path, err)
	}
	return out, nil
}

// writeLines writes sorted lines to an atomic file (the state file).
func writeLines(dir, name string, lines []string) error {
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	for _, l := range lines {
		_, _ = bw.WriteString(l) //nolint:errcheck // the error is kept by bw and returned by Flush
		_ = bw.WriteByte('\n')   //nolint:errcheck // as above
	}
	err = bw.Flush()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp) //nolint:errcheck // best effort
		return fmt.Errorf("write audience state %s: %w", name, err)
	}
	return nil
}

// syncDir fsyncs a directory so renames in it survive a power cut (a
// no-op on Windows, where directories cannot be fsynced).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
