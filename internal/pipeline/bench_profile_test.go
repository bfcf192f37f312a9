package pipeline

import (
	"flag"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"testing"
)

var (
	timedProfile    = flag.String("timed.cpuprofile", "", "write a CPU profile of the timed parts only (benchmarks that call profileTimed), leaving out their setup")
	timedTrace      = flag.String("timed.trace", "", "write an execution trace of the timed parts only (where goroutines wait: go tool trace -pprof=sync FILE)")
	timedMemProfile = flag.String("timed.memprofile", "", "write allocation profiles before (FILE.base) and after the timed parts (FILE); read the difference with go tool pprof -base FILE.base FILE")
)

// profileTimed starts the -timed.cpuprofile profile, when asked for, and
// returns the function that stops it. -cpuprofile covers the whole binary,
// and a benchmark whose setup builds 20k profiles spends most of it there.
// With -timed.memprofile it also writes the allocation profile before and
// after, so their difference is what the timed part allocated.
func profileTimed(b *testing.B) (stop func()) {
	stops := []func(){}
	if *timedMemProfile != "" {
		writeAllocs(b, *timedMemProfile+".base")
		stops = append(stops, func() { writeAllocs(b, *timedMemProfile) })
	}
	if *timedProfile != "" {
		stops = append(stops, record(b, *timedProfile, pprof.StartCPUProfile, pprof.StopCPUProfile))
	}
	if *timedTrace != "" {
		stops = append(stops, record(b, *timedTrace, trace.Start, trace.Stop))
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}

// record starts a recorder (the CPU profile, the execution trace) writing
// to path and returns the function that stops it and closes the file.
func record(b *testing.B, path string, start func(io.Writer) error, stop func()) func() {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := start(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		stop()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// writeAllocs writes the allocation profile as of now (after a collection,
// so it is current) to path.
func writeAllocs(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
