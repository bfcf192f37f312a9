package importer

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors for problems that stop an import before or while reading;
// check them with errors.Is. Per-row problems are *RowError instead.
var (
	// ErrInvalidSpec means the import options contradict each other or are malformed.
	ErrInvalidSpec = errors.New("invalid import options")
	// ErrUnknownColumn means the mapping names a column the file does not have.
	ErrUnknownColumn = errors.New("unknown column")
	// ErrBadHeader means the CSV header row is missing or unusable.
	ErrBadHeader = errors.New("bad header row")
	// ErrUnsupportedEncoding means the file is not UTF-8 text (UTF-16, binary, ...).
	ErrUnsupportedEncoding = errors.New("unsupported file encoding")
	// ErrCorruptInput means the compressed stream is truncated or corrupt.
	ErrCorruptInput = errors.New("corrupt input")
)

// RowError is one rejected row: the caller records it and goes on with the
// next row. Raw is a copy of the row as it appeared in the file (at most
// maxRawBytes), so it is safe to keep.
type RowError struct {
	Line   int    // 1-based line of the file where the row starts
	Column string // the column at fault, when there is one
	Reason string // what is wrong and how to fix it
	Raw    []byte // the original row text
}

// Error renders "line 17: column count 4, header has 5 — check quoting", or
// `line 17, column "Age": ...` when a column is at fault.
func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	if e.Column != "" {
		b.WriteString(", column ")
		b.WriteString(strconv.Quote(e.Column))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}
