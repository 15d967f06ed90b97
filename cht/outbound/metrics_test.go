package outbound_test

import (
	"testing"

	dto "github.com/prometheus/client_model/go"

	"careflow/cht/outbound"
)

func testutilCount(t *testing.T, s *outbound.Service, config, reason string) float64 {
	t.Helper()
	var m dto.Metric
	if err := s.Metrics.Failed.WithLabelValues(config, reason).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
