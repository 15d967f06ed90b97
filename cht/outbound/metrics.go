package outbound

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"careflow/store"
)

// Metrics are the outbound counters Prometheus scrapes from /metrics.
type Metrics struct {
	Sent         *prometheus.CounterVec
	Failed       *prometheus.CounterVec
	Retried      *prometheus.CounterVec
	DeadLettered *prometheus.CounterVec
	Latency      prometheus.Histogram
	Request      prometheus.Histogram
	depth        *depthCollector
}

// NewMetrics makes the metrics and registers them on reg (nil: not registered, for tests).
// counts gives the queue depth by state at scrape time.
func NewMetrics(reg prometheus.Registerer, counts func(ctx context.Context) (map[store.PushState]int64, error)) *Metrics {
	m := &Metrics{
		Sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "careflow_outbound_sent_total",
			Help: "Pushes acknowledged by their destination."}, []string{"config"}),
		Failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "careflow_outbound_failed_total",
			Help: "Failed push attempts and payloads that could not be built, by reason (mapping, http, network, config)."}, []string{"config", "reason"}),
		Retried: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "careflow_outbound_retried_total",
			Help: "Failed attempts scheduled for another try."}, []string{"config"}),
		DeadLettered: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "careflow_outbound_dead_lettered_total",
			Help: "Pushes moved to the dead-letter state."}, []string{"config"}),
		Latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "careflow_outbound_delivery_latency_seconds",
			Help:    "Time from a payload being queued to its acknowledgement.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}),
		Request: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "careflow_outbound_request_duration_seconds",
			Help:    "Duration of one push request.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}),
		depth: &depthCollector{counts: counts, desc: prometheus.NewDesc("careflow_outbound_queue_depth",
			"Pushes in the queue by state (pending, dead, sent).", []string{"state"}, nil)},
	}
	if reg != nil {
		reg.MustRegister(m.Sent, m.Failed, m.Retried, m.DeadLettered, m.Latency, m.Request, m.depth)
	}
	return m
}

type depthCollector struct {
	counts func(ctx context.Context) (map[store.PushState]int64, error)
	desc   *prometheus.Desc
}

func (d *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *depthCollector) Collect(ch chan<- prometheus.Metric) {
	if d.counts == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := d.counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(d.desc, err)
		return
	}
	for _, st := range []store.PushState{store.PushPending, store.PushDead, store.PushSent} {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(c[st]), string(st))
	}
}
