package clv

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/demo"
	"github.com/stretchr/testify/require"
)

// TestDemoPlantedTruths fits the models on the NTO demo data's purchases and
// recovers the parameters the generator planted (docs/demo.md, "Planted
// truths"): BG/NBD r 0.25, α 4.0, a 0.8, b 2.5 per week and Gamma-Gamma p 6,
// q 4, γ 60. Tolerances are those of a ~10k-customer sample; the population
// means (purchase rate r/α, dropout probability a/(a+b), order value pγ/(q−1))
// are held tighter than the individual parameters, which trade off.
func TestDemoPlantedTruths(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	_, err := demo.Generate(t.Context(), demo.Config{Customers: 10000, Seed: 11, End: end}, &buf)
	require.NoError(t, err)
	var txs []Transaction
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, []byte(`"Order Completed"`)) {
			continue
		}
		var rec struct {
			Event struct {
				Event      string    `json:"event"`
				UserID     string    `json:"userId"`
				Timestamp  time.Time `json:"timestamp"`
				Properties struct {
					Revenue float64 `json:"revenue"`
				} `json:"properties"`
			} `json:"event"`
		}
		require.NoError(t, json.Unmarshal(line, &rec))
		if rec.Event.Event != "Order Completed" {
			continue
		}
		require.NotEmpty(t, rec.Event.UserID, "every demo order names its customer")
		txs = append(txs, Transaction{Customer: rec.Event.UserID, Time: rec.Event.Timestamp, Value: rec.Event.Properties.Revenue})
	}
	require.NoError(t, sc.Err())
	cs, err := Summarize(txs, end, 7*24*time.Hour)
	require.NoError(t, err)
	m, fit, err := FitBGNBD(cs)
	require.NoError(t, err)
	require.True(t, fit.Converged, fit.Status)
	g, gfit, err := FitGammaGamma(cs)
	require.NoError(t, err)
	require.True(t, gfit.Converged, gfit.Status)
	t.Logf("%d customers: BG/NBD r=%.3f α=%.3f a=%.3f b=%.3f; Gamma-Gamma p=%.2f q=%.2f γ=%.1f", len(cs), m.R, m.Alpha, m.A, m.B, g.P, g.Q, g.Gamma)

	within := func(name string, got, want, rel float64) {
		t.Helper()
		require.InDelta(t, want, got, rel*want, "%s: got %.4f, planted %.4f (±%.0f%%)", name, got, want, rel*100)
	}
	within("mean purchase rate r/α", m.R/m.Alpha, 0.25/4.0, 0.10)
	within("mean dropout a/(a+b)", m.A/(m.A+m.B), 0.8/3.3, 0.15)
	within("r", m.R, 0.25, 0.30)
	within("α", m.Alpha, 4.0, 0.35)
	within("a", m.A, 0.8, 0.40)
	within("b", m.B, 2.5, 0.40)
	within("mean order value pγ/(q−1)", g.P*g.Gamma/(g.Q-1), 6.0*60/3, 0.05)
	within("p", g.P, 6.0, 0.20)
	within("q", g.Q, 4.0, 0.25)
	within("γ", g.Gamma, 60, 0.30)
}
