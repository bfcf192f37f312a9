package directmail

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Status is a print vendor's delivery status of one mail piece.
type Status string

// Confirmation statuses.
const (
	StatusDelivered     Status = "delivered"
	StatusReturned      Status = "returned"      // returned to sender
	StatusUndeliverable Status = "undeliverable" // the carrier could not deliver it
)

// Confirmation is one row of a vendor's delivery confirmation file.
type Confirmation struct {
	Key    string    // the send key (the batch's key column)
	Status Status    // delivered, returned or undeliverable
	At     time.Time // the row's date; zero when the row has none
	Reason string    // e.g. "NO SUCH NUMBER", "MOVED LEFT NO ADDRESS"
	Line   int       // line of the row in the file, for diagnosis
}

// Feedback turns c into a delivery report: Delivered, or Failed with Hard
// set for returned and undeliverable pieces (the address does not take
// mail, so the dispatcher suppresses it).
func (c Confirmation) Feedback() channel.Feedback {
	fb := channel.Feedback{Type: channel.Delivered, Channel: channel.DirectMail, Key: c.Key, Reason: c.Reason, At: c.At}
	if c.Status != StatusDelivered {
		fb.Type = channel.Failed
		fb.Hard = true
		if fb.Reason == "" {
			fb.Reason = string(c.Status)
		} else {
			fb.Reason = string(c.Status) + ": " + fb.Reason
		}
	}
	return fb
}

// MaxConfirmationRows bounds how many rows ParseConfirmations reads.
const MaxConfirmationRows = 10_000_000

// ParseConfirmations reads a vendor's confirmation CSV. The first row is
// the header: it must name key and status columns, may name date and
// reason, in any order and any case; other columns are ignored. Dates are
// RFC 3339, "2006-01-02 15:04:05" or "2006-01-02" (UTC). A file that
// cannot be read as such (no header, no key or status column) is an error
// with no rows. Rows that are wrong — empty key, unknown status, bad date,
// wrong number of fields — are skipped: each is reported, by line, in the
// returned error (matching ErrBadRow) while the good rows are returned.
func ParseConfirmations(r io.Reader) ([]Confirmation, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("confirmation file is empty: it needs a header row naming key and status")
	}
	if err != nil {
		return nil, fmt.Errorf("read confirmation header: %w", err)
	}
	cols, err := confirmationColumns(head)
	if err != nil {
		return nil, err
	}
	var (
		out  []Confirmation
		bad  []error
		rows int
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if rows++; rows > MaxConfirmationRows {
			return nil, fmt.Errorf("confirmation file has more than %d rows", MaxConfirmationRows)
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read confirmations: %w", err)
			}
			bad = append(bad, fmt.Errorf("line %d: %w: %w", pe.StartLine, ErrBadRow, pe.Err))
			continue
		}
		line, _ := cr.FieldPos(0)
		c, err := cols.parse(rec, line)
		if err != nil {
			bad = append(bad, fmt.Errorf("line %d: %w: %w", line, ErrBadRow, err))
			continue
		}
		out = append(out, c)
	}
	return out, joinCapped(bad, 20)
}

// joinCapped joins up to limit errors and counts the rest.
func joinCapped(errs []error, limit int) error {
	if len(errs) <= limit {
		return errors.Join(errs...)
	}
	more := fmt.Errorf("and %d more bad rows: %w", len(errs)-limit, ErrBadRow)
	return errors.Join(append(errs[:limit:limit], more)...)
}

// columns are the indexes of the known columns (-1: absent).
type columns struct{ key, status, date, reason, n int }

func confirmationColumns(head []string) (columns, error) {
	c := columns{key: -1, status: -1, date: -1, reason: -1, n: len(head)}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		var dst *int
		switch h {
		case "key":
			dst = &c.key
		case "status":
			dst = &c.status
		case "date":
			dst = &c.date
		case "reason":
			dst = &c.reason
		default:
			continue
		}
		if *dst >= 0 {
			return c, fmt.Errorf("confirmation header names column %q twice", h)
		}
		*dst = i
	}
	if c.key < 0 || c.status < 0 {
		return c, fmt.Errorf("confirmation header %q lacks a key or status column", strings.Join(head, ","))
	}
	return c, nil
}

func (c columns) parse(rec []string, line int) (Confirmation, error) {
	if len(rec) != c.n {
		return Confirmation{}, fmt.Errorf("%d fields where the header has %d", len(rec), c.n)
	}
	out := Confirmation{Key: strings.TrimSpace(rec[c.key]), Line: line}
	if out.Key == "" {
		return Confirmation{}, errors.New("empty key")
	}
	switch st := Status(strings.ToLower(strings.TrimSpace(rec[c.status]))); st {
	case StatusDelivered, StatusReturned, StatusUndeliverable:
		out.Status = st
	default:
		return Confirmation{}, fmt.Errorf("status %q is not delivered, returned or undeliverable", rec[c.status])
	}
	if c.date >= 0 {
		at, err := parseDate(strings.TrimSpace(rec[c.date]))
		if err != nil {
			return Confirmation{}, err
		}
		out.At = at
	}
	if c.reason >= 0 {
		out.Reason = oneLine(rec[c.reason])
	}
	return out, nil
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or RFC 3339", s)
}
