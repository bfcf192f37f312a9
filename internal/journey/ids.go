package journey

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/cairn-cdp/cairn/internal/segment"
)

// Instance ids, send keys and event ids lead with an instant (16 hex
// digits of Unix nanoseconds, then hex of SHA-256 over the parts; send keys
// and event ids are segment.TimeOrderedID, InstanceID is below): what the
// engine writes in a step sorts together, so the instances and sends
// tables, their journey indexes and the log's dedupe index take new rows
// at their right edge instead of on a random page each (a scheduled run or
// a page of timers wrote ~3 random pages per customer; BENCHMARKS.md,
// journeys). The instant must be the same when a step is replayed, like
// the other parts.

// ordered is prefix, at and the digest of parts.
func ordered(prefix string, at time.Time, parts ...string) string {
	return segment.TimeOrderedID(prefix, at, joined(parts...))
}

// joined is parts, each followed by a zero byte.
func joined(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = append(append(b, p...), 0)
	}
	return b
}

// InstanceID derives an instance id from what started it and when (the
// triggering event's arrival, the scheduled run), so replaying a batch or a
// scheduled page after a crash recreates the same instance. The form is
// "ji_", 16 hex digits of at, 12 of the profile id's first 6 bytes (zero
// padded) and 16 of SHA-256 over the parts: a scheduled run stamps every
// entrant with the run's instant and enters them in profile id order, so
// the profile bytes keep its instances sorted as they are written.
func InstanceID(journeyID, profileID, trigger, key string, at time.Time) string {
	var raw [8 + 6 + 8]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(at.UnixNano()))
	copy(raw[8:14], profileID)
	sum := sha256.Sum256(joined("instance", journeyID, profileID, trigger, key))
	copy(raw[14:], sum[:8])
	return "ji_" + hex.EncodeToString(raw[:])
}

// SendKey is the key of one send: journey version, instance, node and
// visit (a node visited again on a loop sends again, under a new key),
// ordered by at, the step's time.
func SendKey(journeyID string, version int, instanceID, node string, visit int, at time.Time) string {
	return ordered("sk_", at, "send", journeyID, strconv.Itoa(version), instanceID, node, strconv.Itoa(visit))
}

// eventID is the message id of the step-th event an instance emitted at at.
func eventID(instanceID string, step int, name string, at time.Time) string {
	return ordered("je_", at, "event", instanceID, strconv.Itoa(step), name)
}

// bucket maps (parts) to [0, 10000): a stable, uniform pick used for random
// splits, experiments and holdouts.
func bucket(parts ...string) int {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p)) //nolint:errcheck // hash writes never fail
		_, _ = h.Write([]byte{0}) //nolint:errcheck // hash writes never fail
	}
	return int(h.Sum64() % 10000)
}
