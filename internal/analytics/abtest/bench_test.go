package abtest

import "testing"

func BenchmarkTwoProportions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TwoProportions(Counts{480, 10_000}, Counts{560, 10_000}, 0.05); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBetaBinomialTwoArms(b *testing.B) {
	for _, bc := range []struct {
		name string
		arms []Counts
	}{
		{"10k trials", []Counts{{480, 10_000}, {560, 10_000}}},
		{"1M trials", []Counts{{52_000, 1_000_000}, {52_400, 1_000_000}}},
		{"30M trials integrated", []Counts{{1_500_000, 30_000_000}, {1_503_000, 30_000_000}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BetaBinomial(bc.arms, BayesOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBetaBinomialThreeArms(b *testing.B) {
	arms := []Counts{{100, 2000}, {118, 2000}, {109, 2000}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BetaBinomial(arms, BayesOptions{Draws: 100_000}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMonitorObserve(b *testing.B) {
	m, err := NewMonitor(MSPRTConfig{})
	if err != nil {
		b.Fatal(err)
	}
	a, c := Counts{}, Counts{}
	b.ReportAllocs()
	for b.Loop() {
		a.Trials, c.Trials = a.Trials+10, c.Trials+10
		a.Successes, c.Successes = a.Successes+1, c.Successes+1
		if _, err := m.Observe(a, c); err != nil {
			b.Fatal(err)
		}
	}
}
