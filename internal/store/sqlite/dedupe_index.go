package sqlite

import (
	"crypto/rand"
	"encoding/binary"

	"github.com/cespare/xxhash/v2"
)

// dedupeIndex finds the event already stored with a (source, message id)
// key inside the dedupe window. The events table is the durable record of
// every key (an event and its key commit in one transaction); this index is
// derived from it, rebuilt when the log opens, and kept in memory because a
// B-tree keyed by message id cannot take SDK traffic: message ids are random
// UUIDs, so every insert dirties a random page, and each group commit wrote
// thousands of 16 KiB pages (ingest fell to ~9k events/s at 3M events).
//
// It maps a 64-bit hash of the key to the seq of the newest event with a key
// of that hash (xxhash with a random seed, kept in the snapshot so that a
// reopened log can reuse the index; dedupe_snapshot.go). A hit is only a
// candidate: Append reads the event it names and compares the key and
// received_at, so the answer is exact. Two keys with one hash (expected
// 3·10^-8 such pairs among a million keys) are told apart the same way; the
// newer one then lives in overflow, under its full key. The hashes live in a
// seqTable (dedupe_table.go), 21–43 bytes per key.
type dedupeIndex struct {
	seed     uint64
	hashFn   func(dedupeKey) uint64 // tests: hashes that collide; nil in use
	seqs     *seqTable
	overflow map[dedupeKey]int64
}

// newDedupeIndex returns an empty index with a random seed, so no sender
// can choose ids that collide (a collision costs a read, never a wrong
// answer).
func newDedupeIndex() *dedupeIndex {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return newDedupeIndexSeeded(binary.LittleEndian.Uint64(b[:]))
}

func newDedupeIndexSeeded(seed uint64) *dedupeIndex {
	return &dedupeIndex{seed: seed, seqs: newSeqTable(0), overflow: make(map[dedupeKey]int64)}
}

var keySep = []byte{0}

func (x *dedupeIndex) hash(k dedupeKey) uint64 {
	if x.hashFn != nil {
		return x.hashFn(k)
	}
	var d xxhash.Digest
	d.ResetWithSeed(x.seed)
	_, _ = d.WriteString(k.source)
	_, _ = d.Write(keySep)
	_, _ = d.WriteString(k.message)
	return d.Sum64()
}

// candidates returns the seqs that may hold k: the event under its hash and
// the one under its full key in overflow. 0 means none.
func (x *dedupeIndex) candidates(h uint64, k dedupeKey) (main, over int64) {
	main = x.seqs.get(h)
	if len(x.overflow) > 0 {
		over = x.overflow[k]
	}
	return main, over
}

// put records that k is now stored at seq. hashTaken says the hash's entry
// belongs to another key (verified by the caller), so k goes to overflow.
func (x *dedupeIndex) put(h uint64, k dedupeKey, seq int64, hashTaken bool) {
	if hashTaken {
		x.overflow[k] = seq
		return
	}
	x.seqs.set(h, seq)
	if len(x.overflow) > 0 {
		delete(x.overflow, k) // k owns its hash now; an older overflow entry is stale
	}
}

// remove forgets k if its newest event is seq (an erased or expired event);
// it reports whether anything was removed.
func (x *dedupeIndex) remove(k dedupeKey, seq int64) bool {
	h := x.hash(k)
	if x.seqs.get(h) == seq {
		x.seqs.del(h)
		return true
	}
	if s, ok := x.overflow[k]; ok && s == seq {
		delete(x.overflow, k)
		return true
	}
	return false
}

func (x *dedupeIndex) len() int { return x.seqs.len() + len(x.overflow) }

// compact sizes the table for the keys it holds.
func (x *dedupeIndex) compact() { x.seqs.shrink() }
