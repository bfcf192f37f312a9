package clv_test

import (
	"math/rand/v2"
	"testing"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// fitBoth is the work the performance budget covers: BG/NBD and Gamma-Gamma
// from customer summaries.
func fitBoth(b *testing.B, cs []clv.Customer) {
	b.Helper()
	if _, rep, err := clv.FitBGNBD(cs); err != nil || !rep.Converged {
		b.Fatalf("bg/nbd: %v %+v", err, rep)
	}
	if _, rep, err := clv.FitGammaGamma(cs); err != nil || !rep.Converged {
		b.Fatalf("gamma-gamma: %v %+v", err, rep)
	}
}

// Budget: ≤ 100 ms.
func BenchmarkFitCDNOW(b *testing.B) {
	cs := cdnowCustomers(b)
	b.ReportAllocs()
	for b.Loop() {
		fitBoth(b, cs)
	}
}

// Budget: ≤ 10 s for 1M customers. Times in whole days, as Summarize
// produces them, so customers share (x, t_x, T) and the likelihood sums
// over the distinct triples.
func BenchmarkFit1MDays(b *testing.B) {
	benchmarkFit1M(b, true)
}

// The same with continuous times: nearly every customer is its own triple.
func BenchmarkFit1MContinuous(b *testing.B) {
	benchmarkFit1M(b, false)
}

func benchmarkFit1M(b *testing.B, days bool) {
	if testing.Short() {
		b.Skip("1M customers")
	}
	cs := simulate(rand.New(rand.NewPCG(11, 12)), clv.BGNBD{R: 0.25, Alpha: 4.4, A: 0.8, B: 2.4},
		clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}, 1_000_000, days)
	b.ReportAllocs()
	for b.Loop() {
		fitBoth(b, cs)
	}
}

func BenchmarkFitParetoNBDCDNOW(b *testing.B) {
	cs := cdnowCustomers(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := clv.FitParetoNBD(cs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarizeCDNOW(b *testing.B) {
	txs := cdnowTransactions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := clv.Summarize(txs, calibrationEnd, week); err != nil {
			b.Fatal(err)
		}
	}
}

// CLV of every CDNOW customer over 52 weeks at 10% a year.
func BenchmarkCLVCDNOW(b *testing.B) {
	cs := cdnowCustomers(b)
	m, _, err := clv.FitBGNBD(cs)
	if err != nil {
		b.Fatal(err)
	}
	g, _, err := clv.FitGammaGamma(cs)
	if err != nil {
		b.Fatal(err)
	}
	delta := clv.DiscountRate(0.1, week)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			clv.CLV(m, g, c, 52, delta)
		}
	}
}
