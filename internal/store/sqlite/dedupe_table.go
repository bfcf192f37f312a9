package sqlite

import "iter"

// seqTable maps 64-bit key hashes to seqs: an open-addressing hash table
// with linear probing over one slice of (hash, seq) pairs. It replaces a Go
// map[uint64]int64 on the ingest committer's path, where every SDK event
// looks its hash up and, being new, inserts it: with millions of random
// hashes each access misses the CPU caches, and a Go map touches a control
// word, then a slot, in a group of a table of a directory; here a lookup
// reads one 16-byte slot, usually on one cache line, and an insert writes
// the slot the lookup ended on. About 2x faster per lookup-and-insert at
// 3M keys (BENCHMARKS.md), in 16 bytes per slot at a load of 3/8 to 3/4
// (21-43 bytes per key; the map took 20-37).
//
// A seq of 0 marks an empty slot (seqs start at 1). Deletion shifts the
// following run back instead of leaving tombstones, so lookups never slow
// down as keys expire.
type seqTable struct {
	slots []seqSlot // len is a power of two, or 0
	n     int
}

type seqSlot struct {
	h   uint64
	seq int64
}

const seqTableMin = 1 << 10

func newSeqTable(hint int) *seqTable {
	size := seqTableMin
	for size*3/4 < hint {
		size *= 2
	}
	return &seqTable{slots: make([]seqSlot, size)}
}

func (t *seqTable) mask() uint64 { return uint64(len(t.slots) - 1) }

// find returns the slot holding h, or the empty slot where h would go.
func (t *seqTable) find(h uint64) int {
	m := t.mask()
	i := h & m
	for {
		s := &t.slots[i]
		if s.seq == 0 || s.h == h {
			return int(i)
		}
		i = (i + 1) & m
	}
}

// get returns h's seq, 0 when absent.
func (t *seqTable) get(h uint64) int64 { return t.slots[t.find(h)].seq }

// set stores seq (> 0) under h.
func (t *seqTable) set(h uint64, seq int64) {
	i := t.find(h)
	if t.slots[i].seq == 0 {
		if (t.n+1)*4 > len(t.slots)*3 {
			t.resize(len(t.slots) * 2)
			i = t.find(h)
		}
		t.n++
	}
	t.slots[i] = seqSlot{h: h, seq: seq}
}

// del removes h; it reports whether h was there.
func (t *seqTable) del(h uint64) bool {
	i := t.find(h)
	if t.slots[i].seq == 0 {
		return false
	}
	// Backward-shift deletion: move each later slot of the run whose home
	// is not between the hole and it into the hole.
	m := t.mask()
	hole := uint64(i)
	for j := (hole + 1) & m; t.slots[j].seq != 0; j = (j + 1) & m {
		home := t.slots[j].h & m
		if (j-home)&m >= (j-hole)&m { // home is at or before the hole, cyclically
			t.slots[hole] = t.slots[j]
			hole = j
		}
	}
	t.slots[hole] = seqSlot{}
	t.n--
	return true
}

func (t *seqTable) len() int { return t.n }

// all yields every (hash, seq) pair, in slot order.
func (t *seqTable) all() iter.Seq2[uint64, int64] {
	return func(yield func(uint64, int64) bool) {
		for _, s := range t.slots {
			if s.seq != 0 && !yield(s.h, s.seq) {
				return
			}
		}
	}
}

// shrink gives memory back after many deletions: the table is resized to
// the smallest that holds its keys at a load of at most 3/4.
func (t *seqTable) shrink() {
	size := seqTableMin
	for size*3/4 < t.n {
		size *= 2
	}
	if size < len(t.slots) {
		t.resize(size)
	}
}

func (t *seqTable) resize(size int) {
	old := t.slots
	t.slots = make([]seqSlot, size)
	for _, s := range old {
		if s.seq != 0 {
			t.slots[t.find(s.h)] = s
		}
	}
}
