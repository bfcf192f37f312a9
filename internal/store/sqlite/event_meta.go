package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
)

// The meta column of an events row. Version 2, written now, holds
// everything of an event but its seq, source and times: a
// version byte, then message id, channel, type, user id, anonymous id,
// previous id, group id and name, each as a uvarint length and its bytes,
// then the raw body to the end. The row's message_id and raw columns are
// empty: every value bound on the ingest committer is a copy into SQLite's
// memory, and one blob costs less than three (log_insert.go).
//
// Version 1 (the first written, from log migration 0003 on) held channel to
// name only; its rows keep the message id and body in their columns. Rows
// older than that have no meta and keep everything in columns.
const (
	metaVersion     = 2
	metaVersionCols = 1

	metaVersionLiteral = "X'02'" // metaVersion as an SQL blob, for rows of this version
)

// appendEventMeta appends e's meta encoding to dst.
func appendEventMeta(dst []byte, e *event.Event) []byte {
	dst = append(dst, metaVersion)
	for _, s := range [...]string{e.MessageID, e.Channel, string(e.Type), e.UserID, e.AnonymousID, e.PreviousID, e.GroupID, e.Name} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return append(dst, e.Raw...)
}

var errMetaShort = errors.New("ends inside a field")

// decodeEventMeta sets what b holds of e: for version 2 the message id,
// channel, type, identifiers, name and raw body; for version 1 all but the
// message id and body. The strings share one allocation; e.Raw aliases b.
func decodeEventMeta(b []byte, e *event.Event) error {
	if len(b) == 0 || b[0] != metaVersion && b[0] != metaVersionCols {
		return fmt.Errorf("event meta: unknown version (first byte of %d)", len(b))
	}
	var fields [8]string
	first := 1 // version 1 has no message id
	if b[0] == metaVersion {
		first = 0
	}
	off, err := metaFields(b, fields[first:])
	if err != nil {
		return err
	}
	if b[0] == metaVersionCols {
		if off != len(b) {
			return fmt.Errorf("event meta: %d bytes after the last field", len(b)-off)
		}
	} else {
		e.MessageID, e.Raw = fields[0], b[off:len(b):len(b)]
	}
	e.Channel, e.Type, e.UserID, e.AnonymousID = fields[1], event.Type(fields[2]), fields[3], fields[4]
	e.PreviousID, e.GroupID, e.Name = fields[5], fields[6], fields[7]
	return nil
}

// metaFields reads len(out) fields from b after its version byte, in one
// string allocation, and returns the offset after the last.
func metaFields(b []byte, out []string) (int, error) {
	end, err := metaEnd(b, len(out)) // find the end first, to copy only the fields
	if err != nil {
		return 0, err
	}
	all := string(b[1:end])
	off := 0
	for i := range out {
		n, w := binary.Uvarint(b[1+off:])
		off += w
		out[i] = all[off : off+int(n)]
		off += int(n)
	}
	return end, nil
}

// metaEnd checks n length-prefixed fields after b's version byte and
// returns the offset after the last.
func metaEnd(b []byte, n int) (int, error) {
	end := 1
	for i := range n {
		size, w := binary.Uvarint(b[end:])
		if w <= 0 {
			return 0, fmt.Errorf("event meta: field %d: bad length", i)
		}
		end += w
		if size > uint64(len(b)-end) {
			return 0, fmt.Errorf("event meta: field %d: %w", i, errMetaShort)
		}
		end += int(size)
	}
	return end, nil
}

// metaMessageID returns the message id a version 2 meta holds; ok is false
// for older rows, whose message_id column holds it.
func metaMessageID(b []byte) (id string, ok bool, err error) {
	if len(b) == 0 || b[0] != metaVersion {
		return "", false, nil
	}
	var f [1]string
	if _, err := metaFields(b, f[:]); err != nil {
		return "", false, err
	}
	return f[0], true, nil
}

// metaBody returns the raw body a version 2 meta ends with, aliasing b.
func metaBody(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != metaVersion {
		return nil, fmt.Errorf("event meta: not version %d (first byte of %d)", metaVersion, len(b))
	}
	end, err := metaEnd(b, 8)
	if err != nil {
		return nil, err
	}
	return b[end:], nil
}
