package pipeline

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	processed     prometheus.Counter
	skipped       *prometheus.CounterVec
	merges        prometheus.Counter
	mergesRefused prometheus.Counter
	errors        prometheus.Counter
	batchSeconds  prometheus.Histogram
	// segmentTransitions counts Segment Entered/Exited events emitted.
	segmentTransitions prometheus.Counter
	// histories counts the event histories segment, computed-trait and
	// journey evaluation needed, by whether the cache held them.
	histories *prometheus.CounterVec
	// computedFolds counts profiles whose computed traits a batch updated by
	// folding its events into cached accumulators, with no history read.
	computedFolds prometheus.Counter
	// backfillReads counts segment backfill pages by where their events
	// were read: memory (the analytics projection) or store.
	backfillReads *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, p *Processor) *metrics {
	m := &metrics{
		processed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_pipeline_events_processed_total", Help: "Log entries processed (resolved and applied to profiles).",
		}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_pipeline_events_skipped_total", Help: "Log entries that could not be attributed to a profile, by reason.",
		}, []string{"reason"}),
		merges: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_identity_merges_total", Help: "Profiles merged into another profile.",
		}),
		mergesRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_identity_merges_refused_total", Help: "Merges refused by merge protection limits.",
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_pipeline_errors_total", Help: "Batches that failed and were retried.",
		}),
		batchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "cairn_pipeline_batch_duration_seconds", Help: "Time to process and commit one batch.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		segmentTransitions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_segment_transitions_total", Help: "Segment Entered/Exited events emitted.",
		}),
		histories: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_pipeline_history_reads_total",
			Help: "Profile event histories needed for evaluation, by result: hit (the processor's cache held it) or miss (read from the store).",
		}, []string{"result"}),
		computedFolds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_pipeline_computed_folds_total",
			Help: "Profiles whose computed traits were updated by folding a batch's events into cached accumulators (no history read).",
		}),
		backfillReads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_segment_backfill_pages_total",
			Help: "Segment backfill pages, by where their events were read: memory (the analytics projection) or store (timeline and log).",
		}, []string{"from"}),
	}
	lagEvents := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cairn_pipeline_lag_events", Help: "Log entries appended but not yet processed.",
	}, func() float64 { n, _ := p.Lag(); return float64(n) })
	lagSeconds := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cairn_pipeline_lag_seconds", Help: "Age of the newest processed event's arrival while events are pending.",
	}, func() float64 { _, d := p.Lag(); return d.Seconds() })
	checkpoint := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cairn_pipeline_checkpoint", Help: "Last log sequence number processed.",
	}, func() float64 { return float64(p.Checkpoint()) })
	if reg != nil {
		reg.MustRegister(m.processed, m.skipped, m.merges, m.mergesRefused, m.errors, m.batchSeconds, m.segmentTransitions, m.histories, m.computedFolds, m.backfillReads, lagEvents, lagSeconds, checkpoint)
	}
	return m
}
