package importer

import (
	"bytes"
	"errors"
	"io"
)

// csvParser reads RFC 4180 records: fields separated by a one-byte
// delimiter, optionally quoted with "; a quoted field may hold the
// delimiter, doubled quotes and newlines (a CRLF inside becomes LF). A quote
// inside an unquoted field is kept as a literal character. Blank lines are
// skipped.
type csvParser struct {
	lines *lineReader
	delim byte
	rec   []byte // the unquoted fields, back to back
	ends  []int  // ends[i] is the end of field i in rec
	raw   []byte // the record as it appeared in the file (capped)
	col   int    // 1-based field at fault when read returns a *RowError
}

func (p *csvParser) field(i int) []byte {
	start := 0
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.rec[start:p.ends[i]]
}

func (p *csvParser) keepRaw(line []byte, newline bool) {
	if len(p.raw) >= maxRawBytes {
		return
	}
	if newline {
		p.raw = append(p.raw, '\n')
	}
	p.raw = append(p.raw, line[:min(len(line), maxRawBytes-len(p.raw))]...)
}

// read parses the next record and returns the line it starts on. A
// malformed record comes back as *RowError (with p.col set when a field is
// at fault) after it has been consumed; io.EOF ends the input; any other
// error is a read error.
func (p *csvParser) read() (int, error) {
	var line []byte
	var err error
	for {
		line, err = p.lines.next()
		if errors.Is(err, errLineTooLong) {
			p.raw, p.col = append(p.raw[:0], line[:min(len(line), maxRawBytes)]...), 0
			return p.lines.n, &RowError{Line: p.lines.n, Reason: "line is longer than 1 MiB — is this really a CSV file, and is the delimiter right?"}
		}
		if err != nil {
			return 0, err
		}
		if len(line) > 0 {
			break
		}
	}
	start := p.lines.n
	p.rec, p.ends, p.raw, p.col = p.rec[:0], p.ends[:0], p.raw[:0], 0
	p.keepRaw(line, false)
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 { // the quoted field goes on on the next line
					p.rec = append(p.rec, line[pos:]...)
					p.rec = append(p.rec, '\n')
					line, err = p.lines.next()
					switch {
					case errors.Is(err, io.EOF):
						p.col = len(p.ends) + 1
						return start, &RowError{Line: start, Reason: "quoted field is not closed before the end of the file — check quoting"}
					case errors.Is(err, errLineTooLong), err == nil && len(p.rec)+len(line) > maxLineBytes:
						p.col = len(p.ends) + 1
						return start, &RowError{Line: start, Reason: "quoted field is still open after 1 MiB — check quoting (a stray \" opens a field that runs on across lines)"}
					case err != nil:
						return 0, err
					}
					p.keepRaw(line, true)
					pos = 0
					continue
				}
				p.rec = append(p.rec, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' { // "" stands for one quote
					p.rec = append(p.rec, '"')
					pos++
					continue
				}
				break
			}
			p.ends = append(p.ends, len(p.rec))
			if pos == len(line) {
				return start, nil
			}
			if line[pos] != p.delim {
				p.col = len(p.ends)
				return start, &RowError{Line: start, Reason: `text after the closing quote — a quote inside a quoted field must be doubled ("")`}
			}
			pos++
			continue
		}
		i := bytes.IndexByte(line[pos:], p.delim)
		if i < 0 {
			p.rec = append(p.rec, line[pos:]...)
			p.ends = append(p.ends, len(p.rec))
			return start, nil
		}
		p.rec = append(p.rec, line[pos:pos+i]...)
		p.ends = append(p.ends, len(p.rec))
		pos += i + 1
	}
}

// sniffDelimiter picks the most frequent of , ; tab | outside quotes in the
// first line; ties and no candidates go to the comma.
func sniffDelimiter(head []byte) byte {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	var counts [4]int
	cands := [4]byte{',', ';', '\t', '|'}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		for i, d := range cands {
			if c == d {
				counts[i]++
			}
		}
	}
	best := 0
	for i := range cands {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return cands[best]
}
