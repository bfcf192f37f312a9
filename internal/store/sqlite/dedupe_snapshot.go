package sqlite

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
)

// The dedupe index is derived data, rebuilt from the events table when the
// log opens; a full rebuild reads every event of the window (~2.5 µs each:
// 7.7 s for 3M). A snapshot saves that: the log writes the index to
// <log.db>-dedupe when it closes and after each prune, and the next load
// reads it and only the events appended after it. It is used only when it
// matches the log exactly (same prune state and sorted sources, a head the
// log has reached, an intact checksum); anything else means a full rebuild.
// Erasing deletes it before its transaction and writes it anew after, so
// no erased message id outlives the erasure on disk.
//
// Layout (little endian): magic, seed, head, from, through, before, the
// sorted sources, the main entries (hash, seq), the overflow entries (seq,
// source, message id), and a CRC-32C of all of it.
const snapshotMagic = "CAIRNDX1"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// snapshotState is what a snapshot must agree on with the log to be used.
type snapshotState struct {
	head, from, through, before int64
	sorted                      []string
}

func (l *Log) snapshotPath() string { return l.path + "-dedupe" }

// snapshotState is the log's current state, for writing or checking.
func (l *Log) snapshotState() snapshotState {
	sorted := make([]string, 0, len(l.sorted))
	for id := range l.sorted {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	return snapshotState{head: l.head, from: l.dedupeFrom, through: l.dedupeThrough, before: l.dedupeBefore, sorted: sorted}
}

// writeSnapshot saves the index; callers hold l.mu. A failure only costs
// the next open a full rebuild.
func (l *Log) writeSnapshot() error {
	if l.dedupe == nil {
		return nil
	}
	// The snapshot names the head it covers: the events up to it must be on
	// disk before it is, or a power cut could leave a snapshot ahead of its log.
	if _, err := l.Sync(context.Background()); err != nil {
		return fmt.Errorf("write dedupe snapshot: %w", err)
	}
	tmp := l.snapshotPath() + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write dedupe snapshot: %w", err)
	}
	crc := crc32.New(crcTable)
	w := bufio.NewWriterSize(io.MultiWriter(f, crc), 1<<20)
	st, x := l.snapshotState(), l.dedupe
	var buf []byte
	buf = append(buf, snapshotMagic...)
	buf = binary.LittleEndian.AppendUint64(buf, x.seed)
	for _, v := range []int64{st.head, st.from, st.through, st.before} {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
	}
	buf = binary.AppendUvarint(buf, uint64(len(st.sorted)))
	for _, id := range st.sorted {
		buf = appendString(buf, id)
	}
	buf = binary.AppendUvarint(buf, uint64(x.seqs.len()))
	_, _ = w.Write(buf)
	var e [16]byte
	for h, seq := range x.seqs.all() {
		binary.LittleEndian.PutUint64(e[:8], h)
		binary.LittleEndian.PutUint64(e[8:], uint64(seq))
		_, _ = w.Write(e[:])
	}
	buf = binary.AppendUvarint(buf[:0], uint64(len(x.overflow)))
	for k, seq := range x.overflow {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(seq))
		buf = appendString(appendString(buf, k.source), k.message)
	}
	_, _ = w.Write(buf)
	err = w.Flush()
	if err == nil {
		_, err = f.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, l.snapshotPath())
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write dedupe snapshot: %w", err)
	}
	l.snapshotHead = st.head
	return nil
}

// removeSnapshot deletes the snapshot (before an erasure or a prune changes
// what the index holds).
func (l *Log) removeSnapshot() error {
	l.snapshotHead = -1 // none on disk: the next save writes one whatever the head
	if err := os.Remove(l.snapshotPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove dedupe snapshot: %w", err)
	}
	return nil
}

// readSnapshot returns the index a snapshot holds and the head it covers,
// or nil when there is none that matches want (whose head is the log's:
// a snapshot can only be behind it).
func (l *Log) readSnapshot(want snapshotState) (*dedupeIndex, int64, error) {
	b, err := os.ReadFile(l.snapshotPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read dedupe snapshot: %w", err)
	}
	x, head, ok := decodeSnapshot(b, want)
	if !ok {
		return nil, 0, nil
	}
	return x, head, nil
}

// decodeSnapshot parses b; ok is false for a damaged snapshot or one that
// does not match want.
func decodeSnapshot(b []byte, want snapshotState) (x *dedupeIndex, head int64, ok bool) {
	if len(b) < len(snapshotMagic)+4 || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, 0, false
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, crcTable) != sum {
		return nil, 0, false
	}
	r := snapReader{b: body[len(snapshotMagic):]}
	seed := r.u64()
	var got snapshotState
	got.head, got.from, got.through, got.before = int64(r.u64()), int64(r.u64()), int64(r.u64()), int64(r.u64())
	for n := r.uvarint(); n > 0 && r.ok(); n-- {
		got.sorted = append(got.sorted, r.str())
	}
	if !r.ok() || got.head > want.head || got.from != want.from || got.through != want.through ||
		got.before != want.before || !slices.Equal(got.sorted, want.sorted) {
		return nil, 0, false
	}
	x = newDedupeIndexSeeded(seed)
	n := r.uvarint()
	if n > uint64(len(r.b))/16 {
		return nil, 0, false
	}
	x.seqs = newSeqTable(int(n))
	for ; n > 0; n-- {
		h, seq := r.u64(), int64(r.u64())
		if seq <= 0 {
			return nil, 0, false
		}
		x.seqs.set(h, seq)
	}
	for n := r.uvarint(); n > 0 && r.ok(); n-- {
		seq := int64(r.u64())
		k := dedupeKey{source: r.str(), message: r.str()}
		x.overflow[k] = seq
	}
	if !r.ok() || len(r.b) != 0 {
		return nil, 0, false
	}
	return x, got.head, true
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// snapReader reads a snapshot body; any short read sets bad.
type snapReader struct {
	b   []byte
	bad bool
}

func (r *snapReader) ok() bool { return !r.bad }

func (r *snapReader) u64() uint64 {
	if len(r.b) < 8 {
		r.bad = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *snapReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) str() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
