package segment

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// TransitionMessageID is the message id of the Segment Entered (entered)
// or Segment Exited event for a transition: a stable hash of the segment
// id, version, profile id, direction and instant (UTC, nanoseconds), so
// that re-emitting a transition after a crash yields the same id and the
// log's messageId dedupe drops the copy. The form is "seg_" followed by 32
// hex digits (128 bits of SHA-256); fields are length-prefixed, so no two
// distinct inputs share an encoding.
func TransitionMessageID(segmentID string, version int, profileID string, entered bool, at time.Time) string {
	var buf [256]byte
	b := append(buf[:0], "cairn.segment.transition.v1"...)
	b = appendField(b, segmentID)
	b = strconv.AppendInt(append(b, 0), int64(version), 10)
	b = appendField(b, profileID)
	if entered {
		b = append(b, 0, 'E')
	} else {
		b = append(b, 0, 'X')
	}
	b = strconv.AppendInt(append(b, 0), at.UnixNano(), 10)
	sum := sha256.Sum256(b)
	var out [4 + 32]byte
	copy(out[:], "seg_")
	hex.Encode(out[4:], sum[:16])
	return string(out[:])
}

func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(append(b, 0), int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}
