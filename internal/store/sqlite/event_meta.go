package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/event"
)

// The meta column of an events row: a version byte, then channel, type,
// user id, anonymous id, previous id, group id and name, each as a uvarint
// length and its bytes.
const metaVersion = 1

// appendEventMeta appends e's meta encoding to dst.
func appendEventMeta(dst []byte, e *event.Event) []byte {
	dst = append(dst, metaVersion)
	for _, s := range [...]string{e.Channel, string(e.Type), e.UserID, e.AnonymousID, e.PreviousID, e.GroupID, e.Name} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return dst
}

var errMetaShort = errors.New("ends inside a field")

// decodeEventMeta sets e's channel, type and identifiers from b. The seven
// strings share one allocation.
func decodeEventMeta(b []byte, e *event.Event) error {
	if len(b) == 0 || b[0] != metaVersion {
		return fmt.Errorf("event meta: unknown version (first byte of %d)", len(b))
	}
	all := string(b[1:])
	var fields [7]string
	off := 0
	for i := range fields {
		n, w := binary.Uvarint(b[1+off:])
		if w <= 0 {
			return fmt.Errorf("event meta: field %d: bad length", i)
		}
		off += w
		if n > uint64(len(all)-off) {
			return fmt.Errorf("event meta: field %d: %w", i, errMetaShort)
		}
		fields[i] = all[off : off+int(n)]
		off += int(n)
	}
	if off != len(all) {
		return fmt.Errorf("event meta: %d bytes after the last field", len(all)-off)
	}
	e.Channel, e.Type, e.UserID, e.AnonymousID = fields[0], event.Type(fields[1]), fields[2], fields[3]
	e.PreviousID, e.GroupID, e.Name = fields[4], fields[5], fields[6]
	return nil
}
