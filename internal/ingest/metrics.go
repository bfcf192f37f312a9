package ingest

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the collection API's Prometheus series.
type metrics struct {
	received  prometheus.Counter // entries of authenticated requests: stored + duplicate + rejected + failed
	stored    prometheus.Counter
	duplicate prometheus.Counter
	rejected  *prometheus.CounterVec // by reason
	duration  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer, c *Committer) (*metrics, error) {
	m := &metrics{
		received: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_ingest_events_received_total",
			Help: "Events received in authenticated requests, valid or not.",
		}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_ingest_events_stored_total",
			Help: "Events appended to the log.",
		}),
		duplicate: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_ingest_events_duplicate_total",
			Help: "Events acknowledged as duplicates of an earlier messageId and not stored again.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_ingest_events_rejected_total",
			Help: "Events dropped at ingest, by reason.",
		}, []string{"reason"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cairn_ingest_request_duration_seconds",
			Help:    "Duration of collection API requests, by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"route"}),
	}
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cairn_ingest_queue_events",
		Help: "Events plus rejections waiting for a group commit.",
	}, func() float64 { return float64(c.Queued()) })
	for _, col := range append([]prometheus.Collector{m.received, m.stored, m.duplicate, m.rejected, m.duration, queue}, c.Collectors()...) {
		if err := reg.Register(col); err != nil {
			var already prometheus.AlreadyRegisteredError
			if errors.As(err, &already) && already.ExistingCollector == col {
				continue // the Committer's, registered by an earlier Handler
			}
			return nil, fmt.Errorf("register ingest metrics: %w", err)
		}
	}
	return m, nil
}
