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
// log's messageId dedupe drops the copy. The form is ProfileOrderedID's
// with "seg_"; fields are length-prefixed, so no two distinct inputs share
// an encoding.
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
	return ProfileOrderedID("seg_", at, profileID, b)
}

// ProfileOrderedID is prefix, then 16 hex digits of at's Unix nanoseconds,
// 16 of the profile id's first 8 bytes (zero padded) and 24 of the SHA-256
// of key (96 bits): a deterministic id that sorts by instant, then by
// profile. The processor appends its events instant by instant, and a
// burst of one instant (a window closing for 100k customers at midnight)
// customer by customer in profile id order (due timers are read in that
// order), so the ids it appends keep ascending and the log's dedupe index
// takes them at its right edge; with the hash right after the instant, a
// burst's records landed on random pages of its range, the largest cost of
// appending them (BENCHMARKS.md, segments).
func ProfileOrderedID(prefix string, at time.Time, profileID string, key []byte) string {
	var lead [8]byte
	copy(lead[:], profileID)
	return orderedID(prefix, at, lead[:], key)
}

// TimeOrderedID is prefix, the 16 hex digits of at's Unix nanoseconds and
// 24 hex digits of the SHA-256 of key: a deterministic id that sorts by
// instant (journey send keys and events).
func TimeOrderedID(prefix string, at time.Time, key []byte) string {
	return orderedID(prefix, at, nil, key)
}

// orderedID is prefix and the hex of at's Unix nanoseconds (8 bytes), mid
// and the first 12 bytes of the SHA-256 of key.
func orderedID(prefix string, at time.Time, mid, key []byte) string {
	sum := sha256.Sum256(key)
	var buf [8 + 8 + 12]byte // mid is at most 8 bytes: no allocation
	raw := buf[:0]
	raw = binary.BigEndian.AppendUint64(raw, uint64(at.UnixNano()))
	raw = append(append(raw, mid...), sum[:12]...)
	return prefix + hex.EncodeToString(raw)
}

func appendField(b []byte, s string) []byte {
	b = strconv.AppendInt(append(b, 0), int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}
