package demo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one line of a demo file (events are far below 32 KiB).
const maxLine = 1 << 20

// arenaSize is the chunk from which event bytes handed to fn are carved.
const arenaSize = 256 << 10

// Read streams a demo file (plain or gzip-compressed JSONL, detected by its
// magic bytes) and calls fn for every line in order with the source name and
// the raw event object. The event bytes are fn's to keep (they are never
// reused). Blank lines are skipped; any other line that is not
// {"source":"…","event":{…}} stops the read with an error naming its line
// number. An error from fn stops the read and is returned as is.
func Read(r io.Reader, fn func(source string, event json.RawMessage) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("read demo file: open gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 256<<10)
	}
	var (
		arena   []byte
		names   = make(map[string]string)
		lineNo  int
		partial []byte
	)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			partial = append(partial[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) && len(partial) <= maxLine {
				line, err = br.ReadSlice('\n')
				partial = append(partial, line...)
			}
			if len(partial) > maxLine {
				return fmt.Errorf("read demo file: line %d: %w: longer than %d bytes", lineNo+1, ErrMalformedLine, maxLine)
			}
			line = partial
		}
		if len(line) > 0 {
			lineNo++
			src, ev, perr := parseLine(line)
			if perr != nil {
				return fmt.Errorf("read demo file: line %d: %w", lineNo, perr)
			}
			if ev != nil {
				if len(arena) < len(ev) {
					arena = make([]byte, max(arenaSize, len(ev)))
				}
				kept := arena[:len(ev):len(ev)]
				copy(kept, ev)
				arena = arena[len(ev):]
				name, ok := names[string(src)]
				if !ok {
					name = string(src)
					names[name] = name
				}
				if err := fn(name, kept); err != nil {
					return err
				}
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("read demo file: line %d: %w", lineNo+1, err)
		}
	}
}

var (
	linePrefix = []byte(`{"source":"`)
	lineMiddle = []byte(`","event":`)
)

// parseLine splits one line into source and event. Lines written by Generate
// take a fast path (fixed envelope, the event checked with json.Valid); any
// other valid envelope is decoded with encoding/json. A blank line gives nil.
func parseLine(line []byte) (source, event []byte, err error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, nil, nil
	}
	if rest, ok := bytes.CutPrefix(line, linePrefix); ok {
		if i := bytes.Index(rest, lineMiddle); i > 0 && isSourceName(rest[:i]) && rest[len(rest)-1] == '}' {
			ev := rest[i+len(lineMiddle) : len(rest)-1]
			if len(ev) > 0 && ev[0] == '{' && json.Valid(ev) {
				return rest[:i], ev, nil
			}
		}
	}
	var env struct {
		Source string          `json:"source"`
		Event  json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(line, &env); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedLine, err)
	}
	ev := bytes.TrimSpace(env.Event)
	switch {
	case env.Source == "":
		return nil, nil, fmt.Errorf("%w: missing \"source\"", ErrMalformedLine)
	case len(ev) == 0 || ev[0] != '{':
		return nil, nil, fmt.Errorf("%w: \"event\" must be a JSON object", ErrMalformedLine)
	}
	return []byte(env.Source), ev, nil
}

// isSourceName reports whether b can be a source name as Generate writes it
// (so the fast path never mis-splits an escaped string).
func isSourceName(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
