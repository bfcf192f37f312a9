package directmail

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// openSuffix marks the batch of a window that is still open.
const openSuffix = ".open"

// batch is the open file of one send window.
type batch struct {
	start time.Time
	base  string // "<prefix>-<stamp>": the closed name without ".csv"
	path  string // the open file
	f     *os.File
	size  int64          // bytes of complete rows, where the next row goes
	rows  int            // data rows
	keys  map[string]int // send key → row number (1-based)
	// broken is set when a failed append could not be rolled back; the
	// batch is then reopened (and repaired) before the next row.
	broken bool
}

// errHeaderMismatch means an open batch has other columns than the
// configuration asks for (Fields changed): it is closed as it is.
var errHeaderMismatch = errors.New("batch columns differ from the configured columns")

// scanned is what a read of a batch file found.
type scanned struct {
	header []string
	valid  int64          // length of the header and complete rows
	rows   int            // complete data rows
	keys   map[string]int // key (first column) → row number
}

// scanBatch reads a batch file of size bytes and finds where its complete
// rows end. Every row was written with one write ending in '\n' and
// fsynced before the next, so only the last record can be torn: one that
// does not parse, has the wrong number of fields or lacks its newline.
func scanBatch(r io.Reader, size int64, lastByte byte) (scanned, error) {
	out := scanned{keys: map[string]int{}}
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return out, fmt.Errorf("read batch: %w", err)
			}
			return out, nil // torn: out.valid stays at the record's start
		}
		end := cr.InputOffset()
		if end == size && lastByte != '\n' {
			return out, nil // the last row lost its newline: torn
		}
		if out.header == nil {
			out.header = slices.Clone(rec)
		} else {
			if len(rec) != len(out.header) {
				return out, nil
			}
			out.rows++
			if _, dup := out.keys[rec[0]]; !dup {
				out.keys[rec[0]] = out.rows
			}
		}
		out.valid = end
	}
}

// scanFile scans the batch at path.
func scanFile(path string) (scanned, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return scanned{}, 0, fmt.Errorf("open batch: %w", err)
	}
	defer f.Close()
	return scanOpen(f)
}

// scanOpen scans the open batch file f from its start.
func scanOpen(f *os.File) (scanned, int64, error) {
	st, err := f.Stat()
	if err != nil {
		return scanned{}, 0, fmt.Errorf("stat batch: %w", err)
	}
	var last [1]byte
	if st.Size() > 0 {
		if _, err := f.ReadAt(last[:], st.Size()-1); err != nil {
			return scanned{}, 0, fmt.Errorf("read batch end: %w", err)
		}
	}
	sc, err := scanBatch(io.NewSectionReader(f, 0, st.Size()), st.Size(), last[0])
	return sc, st.Size(), err
}

// openBatch opens (creating it if needed) the open batch at path, cuts a
// torn last row and indexes its keys. errHeaderMismatch comes with a
// repaired file that has other columns than header.
func openBatch(path, base string, start time.Time, header []string, logger *slog.Logger) (*batch, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open batch %s: %w", path, err)
	}
	sc, err := repair(f, path, logger)
	if err != nil {
		f.Close()
		return nil, err
	}
	b := &batch{start: start, base: base, path: path, f: f, size: sc.valid, rows: sc.rows, keys: sc.keys}
	if sc.header == nil { // new, or only a torn header
		if err := b.writeHeader(header); err != nil {
			f.Close()
			return nil, err
		}
		return b, nil
	}
	if !slices.Equal(sc.header, header) {
		f.Close()
		return nil, errHeaderMismatch
	}
	return b, nil
}

// repairFile truncates the batch at path to its complete rows.
func repairFile(path string, logger *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open batch %s for repair: %w", path, err)
	}
	defer f.Close()
	_, err = repair(f, path, logger)
	return err
}

// repair scans the batch f and truncates it to its complete rows.
func repair(f *os.File, path string, logger *slog.Logger) (scanned, error) {
	sc, size, err := scanOpen(f)
	if err != nil {
		return sc, fmt.Errorf("%s: %w", path, err)
	}
	if sc.valid == size {
		return sc, nil
	}
	if err := f.Truncate(sc.valid); err != nil {
		return sc, fmt.Errorf("truncate torn row of %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return sc, fmt.Errorf("sync repaired batch %s: %w", path, err)
	}
	logger.Warn("cut a torn last row of a batch left by a crash",
		slog.String("file", path), slog.Int64("kept_bytes", sc.valid), slog.Int64("dropped_bytes", size-sc.valid))
	return sc, nil
}

func (b *batch) writeHeader(header []string) error {
	if err := b.f.Truncate(0); err != nil {
		return fmt.Errorf("reset batch %s: %w", b.path, err)
	}
	b.size = 0
	buf, err := encodeRow(nil, header)
	if err != nil {
		return err
	}
	return b.append(buf)
}

// append writes one encoded row and fsyncs it. A failed write is rolled
// back so no torn row stays behind; if that fails too the batch is marked
// broken.
func (b *batch) append(row []byte) error {
	_, werr := b.f.WriteAt(row, b.size)
	if werr == nil {
		werr = b.f.Sync()
	}
	if werr != nil {
		if err := b.f.Truncate(b.size); err != nil {
			b.broken = true
		}
		return fmt.Errorf("write row to %s: %w", b.path, werr)
	}
	b.size += int64(len(row))
	return nil
}

// addRow appends a data row for key.
func (b *batch) addRow(key string, row []byte) (int, error) {
	if err := b.append(row); err != nil {
		return 0, err
	}
	b.rows++
	b.keys[key] = b.rows
	return b.rows, nil
}

// closeFile syncs and closes the handle; the file stays open-named.
func (b *batch) closeFile() error {
	serr := b.f.Sync()
	cerr := b.f.Close()
	if err := errors.Join(serr, cerr); err != nil {
		return fmt.Errorf("close batch %s: %w", b.path, err)
	}
	return nil
}

// finish renames an open batch to its closed name, adding -2, -3... when
// the name is taken, and syncs the directory. It returns the new path.
func finish(dir, openPath, base string) (string, error) {
	final := filepath.Join(dir, base+".csv")
	for n := 2; ; n++ {
		if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
			break
		}
		final = filepath.Join(dir, base+"-"+strconv.Itoa(n)+".csv")
	}
	if err := os.Rename(openPath, final); err != nil {
		return "", fmt.Errorf("close batch %s: %w", openPath, err)
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	return final, nil
}

// encodeRow appends rec as one CSV line ("\n"-terminated) to dst.
func encodeRow(dst []byte, rec []string) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	w := csv.NewWriter(buf)
	if err := w.Write(rec); err != nil {
		return nil, fmt.Errorf("encode row: %w", err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("encode row: %w", err)
	}
	return buf.Bytes(), nil
}

// batchStart reads the window start from a batch file name
// ("<prefix>-<stamp>[-N].csv[.open]"); false when it names no batch of
// prefix.
func batchStart(prefix, name string) (time.Time, string, bool) {
	rest, ok := strings.CutPrefix(name, prefix+"-")
	if !ok {
		return time.Time{}, "", false
	}
	rest = strings.TrimSuffix(rest, openSuffix)
	rest, ok = strings.CutSuffix(rest, ".csv")
	if !ok {
		return time.Time{}, "", false
	}
	if t, ok := parseStamp(rest); ok {
		return t, prefix + "-" + rest, true
	}
	if i := strings.LastIndexByte(rest, '-'); i > 0 {
		if _, err := strconv.Atoi(rest[i+1:]); err == nil {
			if t, ok := parseStamp(rest[:i]); ok {
				return t, prefix + "-" + rest, true
			}
		}
	}
	return time.Time{}, "", false
}
