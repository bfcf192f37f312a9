package journey

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"strconv"
)

// digest hashes parts (separated by a zero byte) to 32 hex characters.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		_, _ = h.Write([]byte(p)) //nolint:errcheck // hash writes never fail
		_, _ = h.Write([]byte{0}) //nolint:errcheck // hash writes never fail
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// InstanceID derives an instance id from what started it, so replaying a
// batch after a crash recreates the same instance.
func InstanceID(journeyID, profileID, trigger, key string) string {
	return "ji_" + digest("instance", journeyID, profileID, trigger, key)
}

// SendKey is the key of one send: journey version, instance, node and
// visit (a node visited again on a loop sends again, under a new key).
func SendKey(journeyID string, version int, instanceID, node string, visit int) string {
	return "sk_" + digest("send", journeyID, strconv.Itoa(version), instanceID, node, strconv.Itoa(visit))
}

// eventID is the message id of the step-th event an instance emitted.
func eventID(instanceID string, step int, name string) string {
	return "je_" + digest("event", instanceID, strconv.Itoa(step), name)
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
