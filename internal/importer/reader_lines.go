package importer

import (
	"bufio"
	"errors"
	"io"
	"sync/atomic"
)

const (
	bufSize       = 64 << 10
	maxLineBytes  = 1 << 20  // a physical line, and a CSV record, may not be longer
	maxRawBytes   = 64 << 10 // the copy of a rejected row kept for the rejects file
	maxEventBytes = 32 << 10 // the server's per-event limit
)

// errLineTooLong is returned (once) for a line over maxLineBytes; the line is
// consumed and the next call goes on with the following line.
var errLineTooLong = errors.New("line too long")

// countingReader counts the bytes read from the file, before decompression,
// for progress and ETA.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// lineReader yields physical lines without their "\n" or "\r\n", keeping at
// most maxLineBytes of any line in memory.
type lineReader struct {
	br   *bufio.Reader
	long []byte // holds lines that do not fit the bufio buffer
	n    int    // lines read so far: the number of the line just returned
	err  error  // sticky: io.EOF after the last line, or a read error
}

// next returns the next line; the slice is valid until the next call.
func (l *lineReader) next() ([]byte, error) {
	if l.err != nil {
		return nil, l.err
	}
	b, err := l.br.ReadSlice('\n')
	tooLong := false
	if errors.Is(err, bufio.ErrBufferFull) {
		l.long = append(l.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = l.br.ReadSlice('\n')
			if len(l.long)+len(b) > maxLineBytes {
				tooLong = true
				continue
			}
			l.long = append(l.long, b...)
		}
		b = l.long
	}
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		l.err = io.EOF
		if len(b) == 0 {
			return nil, io.EOF
		}
	default:
		l.err = err
		return nil, err
	}
	l.n++
	if tooLong {
		return b, errLineTooLong
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b, nil
}
