//go:build driverbench

package sqlite_test

// The driver measurement behind docs/storage.md. Run it once per driver:
//
//	go test -tags driverbench                -run '^$' -bench Driver -benchtime 200x ./internal/store/sqlite/
//	go test -tags driverbench,sqlite_mattn   -run '^$' -bench Driver -benchtime 200x ./internal/store/sqlite/
//	go test -tags driverbench,sqlite_ncruces -run '^$' -bench Driver -benchtime 200x ./internal/store/sqlite/

import (
	"fmt"
	"testing"

	"github.com/cairn-cdp/cairn/internal/store"
)

// BenchmarkDriverAppend appends batches of new ~400-byte events, fsync'd
// (synchronous=FULL); see benchmarkAppendLoop for what it reports.
func BenchmarkDriverAppend(b *testing.B) {
	for _, size := range []int{50, 500} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) { benchmarkAppendLoop(b, size, nil) })
	}
}

// BenchmarkDriverPointRead reads one event by seq from a log of 20,000,
// after one pass that warms the page cache: it measures the driver, not the disk.
func BenchmarkDriverPointRead(b *testing.B) {
	l, _ := openTest(b)
	ctx := b.Context()
	const total = 20_000
	for i := 0; i < total; i += 500 {
		if _, err := l.Append(ctx, store.AppendBatch{Events: benchEvents("web", i, 500)}); err != nil {
			b.Fatal(err)
		}
	}
	for after := int64(0); after < total; after += 1000 {
		if _, err := l.Read(ctx, after, 1000); err != nil {
			b.Fatal(err)
		}
	}
	seq := []int64{0}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		seq[0] = int64(i*7919%total) + 1
		i++
		evs, err := l.Get(ctx, seq)
		if err != nil || len(evs) != 1 {
			b.Fatalf("get seq %d: %d events, %v", seq[0], len(evs), err)
		}
	}
}
