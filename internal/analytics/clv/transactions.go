package clv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Transaction is one purchase.
type Transaction struct {
	Customer string
	Time     time.Time
	Value    float64
}

// ParseCDNOW reads the whitespace-separated CDNOW layout, one purchase a line:
//
//	customer  YYYYMMDD  quantity  value
//
// Five fields are read as the CDNOW 1/10th sample's layout
// (master_id sample_id YYYYMMDD quantity value); the sample id is the customer,
// as in the published summaries. Blank lines are skipped, CRLF line endings are
// accepted, and the first line may be a header (its value field is not a number).
// Errors are *ParseError values carrying the 1-based line number.
func ParseCDNOW(r io.Reader) ([]Transaction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var out []Transaction
	line, seen := 0, false
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		first := !seen
		seen = true
		if first && len(f) >= 4 && !isNumber(f[len(f)-1]) {
			continue // header such as "customer_id date number_of_cds dollar_value"
		}
		tx, err := cdnowFields(f)
		if err != nil {
			return nil, &ParseError{Line: line, Err: err}
		}
		out = append(out, tx)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read line %d: %w", line+1, err)
	}
	return out, nil
}

func cdnowFields(f []string) (Transaction, error) {
	switch len(f) {
	case 4:
	case 5:
		f = f[1:] // master_id sample_id ...: the sample id names the customer
	default:
		return Transaction{}, fmt.Errorf("want 4 fields (customer YYYYMMDD quantity value), got %d", len(f))
	}
	day, err := time.Parse("20060102", f[1])
	if err != nil || len(f[1]) != 8 {
		return Transaction{}, fmt.Errorf("bad date %q: want YYYYMMDD", f[1])
	}
	if q, err := strconv.ParseFloat(f[2], 64); err != nil || q < 0 || math.IsNaN(q) || math.IsInf(q, 0) {
		return Transaction{}, fmt.Errorf("bad quantity %q: want a non-negative number", f[2])
	}
	v, err := parseValue(f[3])
	if err != nil {
		return Transaction{}, err
	}
	return Transaction{Customer: f[0], Time: day, Value: v}, nil
}

// ParseCSV reads a comma-separated file of customer_id, timestamp, value.
// A header row naming the columns (customer_id, timestamp, value; aliases
// customer/id, date/time, amount/revenue) may put them in any order among
// other columns; without one the first three columns are used in that order.
// Timestamps are RFC 3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"
// (UTC), "2006-01-02" or YYYYMMDD. Errors are *ParseError values carrying the
// 1-based line number.
func ParseCSV(r io.Reader) ([]Transaction, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	cols := [3]int{0, 1, 2}
	var out []Transaction
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{Line: pe.Line, Err: pe.Err}
			}
			return nil, fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if n == 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			hdr, ok, err := csvHeader(rec)
			if err != nil {
				return nil, &ParseError{Line: line, Err: err}
			}
			if ok {
				cols = hdr
				continue
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		tx, err := csvRecord(rec, cols)
		if err != nil {
			return nil, &ParseError{Line: line, Err: err}
		}
		out = append(out, tx)
	}
}

var csvRoles = [3][]string{
	{"customer_id", "customer", "id"},
	{"timestamp", "date", "time"},
	{"value", "amount", "revenue"},
}

// csvHeader reports whether rec is a header row and where the three columns are.
func csvHeader(rec []string) ([3]int, bool, error) {
	cols := [3]int{-1, -1, -1}
	named := false
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(name))
		for role, aliases := range csvRoles {
			for _, a := range aliases {
				if name == a && cols[role] < 0 {
					cols[role] = i
					named = true
				}
			}
		}
	}
	if !named {
		return cols, false, nil
	}
	for role, at := range cols {
		if at < 0 {
			return cols, false, fmt.Errorf("header lacks a %s column", csvRoles[role][0])
		}
	}
	return cols, true, nil
}

func csvRecord(rec []string, cols [3]int) (Transaction, error) {
	for _, c := range cols {
		if c >= len(rec) {
			return Transaction{}, fmt.Errorf("want at least %d fields, got %d", c+1, len(rec))
		}
	}
	id := strings.TrimSpace(rec[cols[0]])
	if id == "" {
		return Transaction{}, errors.New("empty customer id")
	}
	ts, err := parseTimestamp(strings.TrimSpace(rec[cols[1]]))
	if err != nil {
		return Transaction{}, err
	}
	v, err := parseValue(strings.TrimSpace(rec[cols[2]]))
	if err != nil {
		return Transaction{}, err
	}
	return Transaction{Customer: id, Time: ts, Value: v}, nil
}

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"20060102",
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad timestamp %q: want RFC 3339, YYYY-MM-DD[ HH:MM:SS] or YYYYMMDD", s)
}

func parseValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad value %q: want a finite number", s)
	}
	return v, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
