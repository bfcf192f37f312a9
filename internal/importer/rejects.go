package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// rejectWriter writes rejected rows as CSV: line, column, reason, row.
type rejectWriter struct {
	w      *csv.Writer
	header bool
}

func newRejectWriter(w io.Writer) *rejectWriter {
	if w == nil {
		return &rejectWriter{}
	}
	return &rejectWriter{w: csv.NewWriter(w)}
}

func (rw *rejectWriter) write(re *RowError) error {
	if rw.w == nil {
		return nil
	}
	if !rw.header {
		rw.header = true
		if err := rw.w.Write([]string{"line", "column", "reason", "row"}); err != nil {
			return fmt.Errorf("write rejects file: %w", err)
		}
	}
	if err := rw.w.Write([]string{strconv.Itoa(re.Line), re.Column, re.Reason, string(re.Raw)}); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	return nil
}

func (rw *rejectWriter) flush() error {
	if rw.w == nil {
		return nil
	}
	rw.w.Flush()
	if err := rw.w.Error(); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	return nil
}
