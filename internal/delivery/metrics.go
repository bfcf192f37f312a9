package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	outcomes  *prometheus.CounterVec
	ambiguous *prometheus.CounterVec
	// channelErrors alerts on a misconfigured channel (wrong credentials,
	// unreachable relay): its sends are held, not failed.
	channelErrors *prometheus.CounterVec
	// rateDeferred counts sends re-queued by a provider's rate limit (backpressure).
	rateDeferred *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sends_total", Help: "Sends settled by the dispatcher, by channel, status and reason code.",
		}, []string{"channel", "status", "reason"}),
		ambiguous: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_sends_ambiguous_total", Help: "Sends found attempting after a crash, by channel and resolution (resent, reconciled, unknown).",
		}, []string{"channel", "resolution"}),
	}
	m.channelErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_channel_config_errors_total", Help: "Provider calls that failed on the channel's configuration or reachability (credentials, TLS, relay refusing the sender or unreachable); the send is held and retried.",
	}, []string{"channel"})
	m.rateDeferred = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cairn_sends_rate_deferred_total", Help: "Sends re-queued because their channel's provider rate limit was reached.",
	}, []string{"channel"})
	if reg != nil {
		reg.MustRegister(m.outcomes, m.ambiguous, m.channelErrors, m.rateDeferred)
	}
	return m
}

// reasonCode is the stable part of a reason ("render" of "render: undefined
// variable ..."): error texts would make a metric series per message.
func reasonCode(reason string) string {
	code, _, _ := strings.Cut(reason, ":")
	return code
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}
