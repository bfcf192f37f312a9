package importer

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Row is one imported row. Event is valid until the next call to Next;
// copy it to keep it.
type Row struct {
	Line  int             // 1-based line the row starts on
	Event json.RawMessage // a Segment event with type, an identifier and a messageId
}

// Reader streams rows out of one CSV or JSON Lines input. It is not safe for
// concurrent use.
type Reader struct {
	spec    Spec
	format  string
	count   *countingReader
	gzipped bool
	lines   *lineReader
	csv     *csvParser
	header  []string
	colIdx  []int // plan column -> CSV field
	plan    *plan // nil for JSONL without --id-column: full events only
	cells   []cell
	members []member // the current JSONL line's top-level keys
	raw     []byte   // the current JSONL line
	buf     []byte   // hash prefix followed by the event being built
	scratch bytes.Buffer
	emitted bool
	err     error // sticky fatal error
}

// NewReader detects gzip (by its magic bytes), a UTF-8 byte order mark, the
// format when spec.Format is "" and the CSV delimiter when spec.Delimiter is
// 0, reads the CSV header and checks that every column the spec names is in
// it. Setup problems come back here, before any row is read.
func NewReader(r io.Reader, spec Spec) (*Reader, error) {
	spec = spec.withDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	rd := &Reader{spec: spec, count: &countingReader{r: r}}
	src := bufio.NewReaderSize(rd.count, bufSize)
	if magic, _ := src.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(src)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip header: %w", ErrCorruptInput, err)
		}
		rd.gzipped = true
		src = bufio.NewReaderSize(gz, bufSize)
	}
	rd.lines = &lineReader{br: src}
	head, err := src.Peek(bufSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, rd.readError(err)
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		_, _ = src.Discard(3)
		head = head[3:]
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return nil, fmt.Errorf("%w: the file is UTF-16; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 in.csv > out.csv)", ErrUnsupportedEncoding)
	}
	firstLine := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		firstLine = head[:i]
	}
	if bytes.IndexByte(firstLine, 0) >= 0 {
		return nil, fmt.Errorf("%w: the first line holds NUL bytes — the file is binary, compressed with something other than gzip, or UTF-16 without a byte order mark; import UTF-8 text", ErrUnsupportedEncoding)
	}
	first := byte(0)
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 {
		first = t[0]
	}
	if first == '[' && spec.Format != FormatCSV {
		return nil, fmt.Errorf("%w: the file is a JSON array, not JSON Lines; write one object per line (e.g. jq -c '.[]' in.json > out.jsonl)", ErrInvalidSpec)
	}
	rd.format = spec.Format
	if rd.format == "" {
		rd.format = FormatCSV
		if first == '{' {
			rd.format = FormatJSONL
		}
	}
	if rd.format == FormatJSONL {
		if spec.IDColumn != "" {
			if rd.plan, err = compile(spec, nil); err != nil {
				return nil, err
			}
			rd.cells = make([]cell, len(rd.plan.columns))
		}
		return rd, nil
	}
	if err := rd.readHeader(head); err != nil {
		return nil, err
	}
	return rd, nil
}

func (r *Reader) readHeader(head []byte) error {
	delim := byte(r.spec.Delimiter)
	if delim == 0 {
		delim = sniffDelimiter(head)
	}
	r.csv = &csvParser{lines: r.lines, delim: delim}
	line, err := r.csv.read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the file is empty; a CSV file starts with a header row naming its columns", ErrBadHeader)
	}
	var re *RowError
	if errors.As(err, &re) {
		return fmt.Errorf("%w: line %d: %s", ErrBadHeader, re.Line, re.Reason)
	}
	if err != nil {
		return r.readError(err)
	}
	if !utf8.Valid(r.csv.rec) {
		return fmt.Errorf("%w: line %d is not valid UTF-8; save the file as UTF-8 (from Windows-1252: iconv -f WINDOWS-1252 -t UTF-8)", ErrUnsupportedEncoding, line)
	}
	r.header = make([]string, len(r.csv.ends))
	for i := range r.header {
		r.header[i] = strings.TrimSpace(string(r.csv.field(i)))
	}
	if r.spec.IDColumn == "" {
		return fmt.Errorf("%w: --id-column is required: name the column holding each row's identifier; the file has columns %s", ErrInvalidSpec, quoteList(r.header))
	}
	if r.plan, err = compile(r.spec, r.header); err != nil {
		return err
	}
	if r.colIdx, err = r.plan.resolve(r.header); err != nil {
		return err
	}
	r.cells = make([]cell, len(r.plan.columns))
	return nil
}

// Format is the input format in use: csv or jsonl.
func (r *Reader) Format() string { return r.format }

// Header is the CSV header row (nil for JSON Lines).
func (r *Reader) Header() []string { return r.header }

// BytesRead is how many bytes of the input (compressed, if it is) have been
// consumed so far. It may be called from another goroutine.
func (r *Reader) BytesRead() int64 { return r.count.n.Load() }

// Next returns the next row. A bad row comes back as a *RowError: record it
// and call Next again. io.EOF ends the input. Any other error is fatal and is
// returned again by every later call.
func (r *Reader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	var row Row
	var err error
	if r.format == FormatJSONL {
		row, err = r.nextJSONL()
	} else {
		row, err = r.nextCSV()
	}
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return Row{}, err
		}
		if !errors.Is(err, io.EOF) && !isSetupError(err) {
			err = r.readError(err)
		}
		r.err = err
		return Row{}, err
	}
	r.emitted = true
	return row, nil
}

func isSetupError(err error) bool {
	return errors.Is(err, ErrInvalidSpec) || errors.Is(err, ErrCorruptInput)
}

// readError explains an error from the underlying reader.
func (r *Reader) readError(err error) error {
	var corrupt flate.CorruptInputError
	if r.gzipped && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) ||
		errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt)) {
		return fmt.Errorf("%w: the gzip stream is truncated or damaged %s (%v); re-download or re-compress the file and import it again (rows already imported are deduplicated)",
			ErrCorruptInput, r.where(), err)
	}
	return fmt.Errorf("read input %s: %w", r.where(), err)
}

func (r *Reader) where() string {
	if r.lines.n == 0 {
		return "at the start"
	}
	return fmt.Sprintf("after line %d", r.lines.n)
}

func (r *Reader) nextCSV() (Row, error) {
	p := r.csv
	start, err := p.read()
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			re.Raw = bytes.Clone(p.raw)
			if p.col > 0 {
				re.Column = r.columnName(p.col - 1)
			}
		}
		return Row{}, err
	}
	if n := len(p.ends); n != len(r.header) {
		return Row{}, r.reject(start, "", fmt.Sprintf("column count %d, header has %d — check quoting and the delimiter", n, len(r.header)), p.raw)
	}
	if !utf8.Valid(p.rec) {
		for i := range p.ends {
			if f := p.field(i); !utf8.Valid(f) {
				return Row{}, r.reject(start, r.columnName(i), badUTF8(f), p.raw)
			}
		}
	}
	for i, h := range r.colIdx {
		f := p.field(h)
		r.cells[i] = cell{b: f, ok: len(f) > 0}
	}
	ev, re := r.buildFlat()
	if re != nil {
		re.Line, re.Raw = start, bytes.Clone(p.raw)
		return Row{}, re
	}
	return Row{Line: start, Event: ev}, nil
}

func (r *Reader) columnName(i int) string {
	if i < len(r.header) && r.header[i] != "" {
		return r.header[i]
	}
	return fmt.Sprintf("#%d", i+1)
}

func (r *Reader) reject(line int, column, reason string, raw []byte) *RowError {
	return &RowError{Line: line, Column: column, Reason: reason, Raw: bytes.Clone(raw)}
}

func badUTF8(b []byte) string {
	at := 0
	for at < len(b) {
		r, size := utf8.DecodeRune(b[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	if at >= len(b) {
		return "invalid UTF-8 — save the file as UTF-8"
	}
	return fmt.Sprintf("invalid UTF-8 (byte 0x%02x at offset %d) — save the file as UTF-8; from Excel or Windows-1252: iconv -f WINDOWS-1252 -t UTF-8", b[at], at)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
