package segment

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// TransitionMessageID is the message id of the Segment Entered (entered)
// or Segment Exited event for a transition: a stable hash of the segment
// id, version, profile id, direction and instant (UTC, nanoseconds), so
// that re-emitting a transition after a crash yields the same id and the
// log's messageId dedupe drops the copy. The form is "seg_", 16 hex digits
// of the instant (Unix nanoseconds) and 24 hex digits of SHA-256 (96 bits);
// fields are length-prefixed, so no two distinct inputs share an encoding.
// The instant comes first so that the ids the processor appends, batch
// after batch, sort together: the log's dedupe index takes them at its
// right edge instead of on random pages, which made recording the dedupe
// key the largest cost of appending transitions (BENCHMARKS.md, segments).
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
	return TimeOrderedID("seg_", at, b)
}

// TimeOrderedID is prefix, the 16 hex digits of at's Unix nanoseconds and
// 24 hex digits of the SHA-256 of key: a deterministic id that sorts by
// instant (see TransitionMessageID).
func TimeOrderedID(prefix string, at time.Time, key []byte) string {
	sum := sha256.Sum256(key)
	var raw [8 + 12]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(at.UnixNano()))
	copy(raw[8:], sum[:12])
	return prefix + hex.EncodeToString(raw[:])
}

func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(append(b, 0), int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}
