package attribution

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sampledPaths draws n paths from Data.csv rows, each with its own channel
// slice, as a parsed 1M-line file would hold them.
func sampledPaths(b *testing.B, n int) []Path {
	b.Helper()
	rows := loadPaths(b, "Data.csv")
	rng := rand.New(rand.NewPCG(1, 1))
	paths := make([]Path, n)
	for i := range paths {
		paths[i] = rows[rng.IntN(len(rows))]
		paths[i].Channels = slices.Clone(paths[i].Channels)
	}
	return paths
}

// BenchmarkMarkov1M is the performance target: Markov attribution over one
// million paths (identical paths are aggregated inside Run).
func BenchmarkMarkov1M(b *testing.B) {
	paths := sampledPaths(b, 1_000_000)
	for _, order := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("order=%d", order), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(paths, []string{Markov}, Options{Order: order, IncludeNulls: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAllModels1M(b *testing.B) {
	paths := sampledPaths(b, 1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(paths, nil, Options{IncludeNulls: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShapleySampled(b *testing.B) {
	paths := loadPaths(b, "Data.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(paths, []string{Shapley}, Options{ShapleySamples: 1000}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse1M reads a one-million-line path file drawn from Data.csv.
func BenchmarkParse1M(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join(datasets, "Data.csv"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(raw), []byte("\n"))
	header, rows := lines[0], lines[1:]
	rng := rand.New(rand.NewPCG(1, 1))
	var file bytes.Buffer
	file.Write(header)
	file.WriteByte('\n')
	for range 1_000_000 {
		file.Write(rows[rng.IntN(len(rows))])
		file.WriteByte('\n')
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		paths, err := ParsePaths(bytes.NewReader(file.Bytes()), ParseOptions{})
		if err != nil || len(paths) != 1_000_000 {
			b.Fatal(len(paths), err)
		}
	}
}
