package delivery

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	outcomes  *prometheus.CounterVec
	ambiguous *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sends_total", Help: "Sends settled by the dispatcher, by channel, status and reason.",
		}, []string{"channel", "status", "reason"}),
		ambiguous: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sends_ambiguous_total", Help: "Sends found attempting after a crash, by channel and resolution (resent, reconciled, unknown).",
		}, []string{"channel", "resolution"}),
	}
	if reg != nil {
		reg.MustRegister(m.outcomes, m.ambiguous)
	}
	return m
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}
