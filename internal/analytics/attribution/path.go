package attribution

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseOptions describes a path file. The zero value reads the
// ChannelAttribution format: `path;total_conversions;total_conversion_value;total_null`
// with channels joined by " > ".
type ParseOptions struct {
	// Sep separates the columns: one character, ";" when empty.
	Sep string
	// ChannelSep separates the channels of a path, ">" when empty; spaces
	// around channel names are trimmed.
	ChannelSep string
}

// column roles in a path file.
const (
	colPath = iota
	colConv
	colValue
	colNull
	colIgnored
)

var headerNames = map[string]int{
	"path": colPath, "paths": colPath,
	"total_conversions": colConv, "conversions": colConv, "total_conversion": colConv,
	"total_conversion_value": colValue, "total_value": colValue, "conversion_value": colValue, "value": colValue,
	"total_null": colNull, "total_nulls": colNull, "nulls": colNull, "null": colNull,
}

// ParsePaths reads a path file. The header, when present, names the columns
// (path and total_conversions are required; total_conversion_value and
// total_null are optional; other columns are ignored); without a header the
// columns are path, conversions, then optionally value and nulls. Blank lines
// are skipped; fields may be quoted as in CSV. Errors carry the line number
// (*ParseError).
func ParsePaths(r io.Reader, opts ParseOptions) ([]Path, error) {
	sep, chSep, err := opts.separators()
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	p := pathParser{chSep: chSep, names: map[string]string{}}
	var paths []Path
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return paths, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{Line: pe.Line, Err: pe.Err}
		}
		if err != nil {
			return nil, fmt.Errorf("read paths: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
			isHeader, err := p.header(rec)
			if err != nil {
				return nil, &ParseError{Line: line, Err: err}
			}
			if isHeader {
				continue
			}
		}
		path, err := p.record(rec)
		if err != nil {
			return nil, &ParseError{Line: line, Err: err}
		}
		paths = append(paths, path)
	}
}

func (o ParseOptions) separators() (rune, string, error) {
	sep, chSep := o.Sep, o.ChannelSep
	if sep == "" {
		sep = ";"
	}
	if chSep == "" {
		chSep = ">"
	}
	r, size := utf8.DecodeRuneInString(sep)
	if size != len(sep) || r == 0 || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return 0, "", fmt.Errorf("column separator %q: want one printable character other than a quote", sep)
	}
	if strings.TrimSpace(chSep) == "" || strings.ContainsRune(chSep, r) {
		return 0, "", fmt.Errorf("channel separator %q: want a non-blank string without the column separator", chSep)
	}
	return r, chSep, nil
}

// pathParser holds the column layout and the interned channel names.
type pathParser struct {
	chSep      string
	cols       []int // role of each column
	headerless bool
	names      map[string]string
}

// header reports whether rec is a header and sets the column layout.
func (p *pathParser) header(rec []string) (bool, error) {
	var numErr error
	if len(rec) >= 2 {
		if _, numErr = parseCount(rec[1]); numErr == nil {
			p.cols = []int{colPath, colConv, colValue, colNull}
			p.headerless = true
			return false, nil
		}
	}
	seen := map[int]bool{}
	for _, name := range rec {
		role, ok := headerNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			role = colIgnored
		} else if seen[role] {
			return false, fmt.Errorf("header names column %q twice", name)
		}
		seen[role] = true
		p.cols = append(p.cols, role)
	}
	if !seen[colPath] && !seen[colConv] && numErr != nil {
		return false, fmt.Errorf("neither a header (no column is named path or total_conversions) nor a path (field 2: %w)", numErr)
	}
	if !seen[colPath] || !seen[colConv] {
		return false, fmt.Errorf("header %q: want at least the columns path and total_conversions", strings.Join(rec, ","))
	}
	return true, nil
}

func (p *pathParser) record(rec []string) (Path, error) {
	switch {
	case p.headerless && (len(rec) < 2 || len(rec) > 4):
		return Path{}, fmt.Errorf("%d fields, want 2 to 4 (path, conversions, value, nulls)", len(rec))
	case !p.headerless && len(rec) != len(p.cols):
		return Path{}, fmt.Errorf("%d fields, want %d as in the header", len(rec), len(p.cols))
	}
	var path Path
	for i, f := range rec {
		var err error
		switch p.cols[i] {
		case colPath:
			path.Channels, err = p.channels(f)
		case colConv:
			path.Conversions, err = parseCount(f)
		case colValue:
			path.Value, err = parseCount(f)
		case colNull:
			path.Nulls, err = parseCount(f)
		}
		if err != nil {
			return Path{}, fmt.Errorf("field %d: %w", i+1, err)
		}
	}
	if path.Value > 0 && path.Conversions == 0 {
		return Path{}, fmt.Errorf("conversion value %g without conversions", path.Value)
	}
	return path, nil
}

func (p *pathParser) channels(f string) ([]string, error) {
	if strings.TrimSpace(f) == "" {
		return nil, errors.New("empty path")
	}
	out := make([]string, 0, strings.Count(f, p.chSep)+1)
	for part := range strings.SplitSeq(f, p.chSep) {
		name := strings.TrimSpace(part)
		if name == "" {
			return nil, fmt.Errorf("empty channel name in path %q", f)
		}
		interned, ok := p.names[name]
		if !ok {
			interned = strings.Clone(name)
			p.names[interned] = interned
		}
		out = append(out, interned)
	}
	return out, nil
}

func parseCount(f string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", f)
	}
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: want a finite non-negative number", f)
	}
	return v, nil
}
