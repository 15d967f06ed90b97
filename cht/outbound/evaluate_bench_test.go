package outbound

import (
	"context"
	"testing"
	"time"

	"careflow/store"
)

func BenchmarkEvaluate(b *testing.B) {
	cfgs, err := ParseConfigs([]byte(`{"outbound":{"bench":{"relevant_to":"doc.type === 'data_record' && doc.form === 'BENCH'",
		"destination":{"base_url":"http://127.0.0.1:1","path":"/x"},
		"mapping":{"seq":"doc.fields.seq","id":"doc._id","urns":{"expr":"doc.from ? ['tel:' + doc.from] : []"},"extra.form":"doc.form"}}}}`))
	if err != nil {
		b.Fatal(err)
	}
	d := store.Doc{ID: "bench-000001", Rev: "1-abc", Fields: []byte(`{"type":"data_record","form":"BENCH","from":"+254700000001","reported_date":1777000000000,"fields":{"seq":1},"errors":[]}`)}
	h := LineageHydrator{}
	sb := NewSandbox()
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		body, err := h.Hydrate(context.Background(), d)
		if err != nil {
			b.Fatal(err)
		}
		outs, err := Evaluate(sb, body, cfgs, EvalOptions{Now: now})
		if err != nil || outs[0].Err != nil || !outs[0].Relevant {
			b.Fatal(err, outs)
		}
	}
}
