package pipeline

import (
	"flag"
	"os"
	"runtime/pprof"
	"testing"
)

var timedProfile = flag.String("timed.cpuprofile", "", "write a CPU profile of the timed parts only (benchmarks that call profileTimed), leaving out their setup")

// profileTimed starts the -timed.cpuprofile profile, when asked for, and
// returns the function that stops it. -cpuprofile covers the whole binary,
// and a benchmark whose setup builds 20k profiles spends most of it there.
func profileTimed(b *testing.B) (stop func()) {
	if *timedProfile == "" {
		return func() {}
	}
	f, err := os.Create(*timedProfile)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
