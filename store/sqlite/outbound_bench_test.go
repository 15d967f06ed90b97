package sqlite_test

import (
	"fmt"
	"testing"
	"time"

	"careflow/store"
)

// BenchmarkPushCycle is the outbound queue's database work for a batch of written documents,
// as the push service does it: the outbox entries consumed and their pushes queued and
// claimed in one transaction, then, in the next, the batch's outcomes (all sent) recorded.
// The documents are written outside the timer.
func BenchmarkPushCycle(b *testing.B) {
	for _, batch := range []int{8, 64} {
		b.Run(fmt.Sprint(batch), func(b *testing.B) {
			s, _ := openBench(b)
			n := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				writes := make([]store.DocWrite, batch)
				for i := range writes {
					writes[i] = store.DocWrite{ID: fmt.Sprintf("doc-%08d", n+i),
						Fields: fmt.Appendf(nil, `{"type":"data_record","form":"BENCH","fields":{"seq":%d}}`, n+i)}
				}
				res, err := s.WriteDocs(bctx, writes)
				if err != nil {
					b.Fatal(err)
				}
				now := time.Now().UnixMilli()
				pb := store.PushBatch{Now: now, Owner: "node-a", LeaseUntil: now + 120_000}
				for i, r := range res {
					pb.Seqs = append(pb.Seqs, r.Seq)
					body := fmt.Appendf(nil, `{"seq":%d,"id":"%s","urns":[],"extra":{"form":"BENCH"}}`, n+i, r.ID)
					pb.Items = append(pb.Items, store.PushEnqueue{Seq: r.Seq, DocID: r.ID, Config: "bench", Destination: "http://127.0.0.1:9",
						DocRev: r.Rev, DocSeq: r.Seq, Body: body, Hash: fmt.Sprintf("%064x", n+i), NextAt: now, Claim: true})
				}
				b.StartTimer()
				before := cpuTime()
				queued, err := s.ApplyPushes(bctx, pb)
				if err != nil {
					b.Fatal(err)
				}
				if len(queued.Claimed) != batch {
					b.Fatalf("claimed %d of %d", len(queued.Claimed), batch)
				}
				acks := store.PushBatch{Now: now, Owner: "node-a"}
				for _, p := range queued.Claimed {
					acks.Outcomes = append(acks.Outcomes, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: p.Hash, Sent: true,
						Attempted: true, Status: 200, Now: now, LeaseOwner: "node-a"})
				}
				if _, err := s.ApplyPushes(bctx, acks); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - before
				n += batch
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/push")
		})
	}
}
