package storetest

import (
	"fmt"
	"testing"

	"careflow/store"
)

// testOutboundBatch covers batches big and mixed enough that the queue writes them several
// rows to a statement: every item and outcome must come out as if applied one by one.
func testOutboundBatch(t *testing.T, open Opener) {
	t.Run("ManyNewPushes", func(t *testing.T) {
		s := open(t)
		const n = 150 // more than one statement's worth
		var items []store.PushEnqueue
		for i := 0; i < n; i++ {
			it := item(fmt.Sprintf("d%03d", i), fmt.Sprint("h", i))
			it.Seq = outboxSeq(t, s, it.DocID)
			it.Claim = i%3 != 0
			if i%2 == 1 {
				it.Destination = "http://b"
			}
			if i == 7 {
				it.Body, it.Hash, it.Eval, it.Error, it.NextAt = nil, "", store.EvalMapping, "cannot find", 9000
			}
			items = append(items, it)
		}
		// Given out of order: claims come back in (document, config) order all the same.
		items[0], items[n-1] = items[n-1], items[0]
		var seqs []int64
		for _, it := range items {
			seqs = append(seqs, it.Seq)
		}
		res, err := s.ApplyPushes(ctx(), store.PushBatch{Seqs: seqs, Items: items, Now: 1000, Owner: "n1", LeaseUntil: 61_000})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending != n || len(res.Claimed) != n-n/3 {
			t.Fatalf("pending %d, claimed %d", res.Pending, len(res.Claimed))
		}
		ids := map[int64]bool{}
		for i, p := range res.Claimed {
			if i > 0 && p.DocID <= res.Claimed[i-1].DocID {
				t.Fatalf("claims out of order: %s after %s", p.DocID, res.Claimed[i-1].DocID)
			}
			if ids[p.ID] {
				t.Fatalf("id %d given twice", p.ID)
			}
			ids[p.ID] = true
			got := onePush(t, s, p.DocID, "c")
			if got.ID != p.ID || got.Version != 1 || p.Version != 1 || got.LeaseOwner != "n1" || got.LeaseUntil != 61_000 ||
				string(got.Body) != string(p.Body) || got.Hash != p.Hash || got.Destination != p.Destination || got.Attempts != p.Attempts ||
				got.EnqueuedAt != 1000 || got.UpdatedAt != 1000 || got.State != store.PushPending {
				t.Fatalf("claimed %+v, stored %+v", p, got)
			}
		}
		if got := onePush(t, s, "d003", "c"); got.LeaseOwner != "" || got.LeaseUntil != 0 || got.State != store.PushPending {
			t.Fatalf("an unclaimed item: %+v", got)
		}
		if got := onePush(t, s, "d007", "c"); got.Eval != store.EvalMapping || got.Attempts != 1 || got.LastError != "cannot find" || got.NextAt != 9000 {
			t.Fatalf("a payload that could not be built: %+v", got)
		}
		if left, _ := s.ReadDocChanges(ctx(), 0, 1000); len(left) != 0 {
			t.Fatalf("%d outbox entries left", len(left))
		}
	})
	t.Run("NewAndKnownPushesMixed", func(t *testing.T) {
		s := open(t)
		mustEnqueue(t, s, 1000, item("sent", "A"), item("waiting", "W"), item("changing", "X"))
		p := mustClaim(t, s, "http://a", "n1", 1000, 10)
		for _, x := range p {
			if x.DocID == "sent" {
				mustComplete(t, s, store.PushOutcome{ID: x.ID, Version: x.Version, Hash: "A", Sent: true, Attempted: true, Status: 200, Now: 1001, LeaseOwner: "n1"})
			}
		}
		if err := s.ReleasePushes(ctx(), "n1"); err != nil {
			t.Fatal(err)
		}
		later := func(doc, hash string, seq int64) store.PushEnqueue {
			it := item(doc, hash)
			it.DocSeq, it.Claim = seq, true
			return it
		}
		// The same document twice in one batch: the first payload is queued and claimed, the
		// second replaces it while it is held (so it is not claimed again).
		n := mustEnqueueBatch(t, s, 2000, later("sent", "A", 2), later("waiting", "W", 2), later("changing", "Y", 2),
			later("fresh", "F1", 1), later("fresh", "F2", 2), later("new", "N", 1))
		if n.Pending != 4 {
			t.Fatalf("pending %d, want 4 (changing, fresh twice, new)", n.Pending)
		}
		claimed := map[string]store.Push{}
		for _, c := range n.Claimed {
			claimed[c.DocID] = c
		}
		if len(claimed) != 3 || claimed["fresh"].Hash != "F1" || claimed["fresh"].Version != 1 || claimed["new"].Version != 1 ||
			claimed["changing"].Hash != "Y" || claimed["changing"].Version != 2 {
			t.Fatalf("claimed %+v", n.Claimed)
		}
		for doc, want := range map[string]struct {
			state   store.PushState
			hash    string
			version int64
			seq     int64
			owner   string
		}{"sent": {store.PushSent, "A", 1, 2, ""}, "waiting": {store.PushPending, "W", 1, 2, ""}, "changing": {store.PushPending, "Y", 2, 2, "n1"},
			"fresh": {store.PushPending, "F2", 2, 2, "n1"}, "new": {store.PushPending, "N", 1, 1, "n1"}} {
			got := onePush(t, s, doc, "c")
			if got.State != want.state || got.Hash != want.hash || got.Version != want.version || got.DocSeq != want.seq || got.LeaseOwner != want.owner {
				t.Fatalf("%s: %+v, want %+v", doc, got, want)
			}
		}
	})
	t.Run("ManyOutcomes", func(t *testing.T) {
		s := open(t)
		const n = 100
		var items []store.PushEnqueue
		for i := 0; i < n; i++ {
			it := item(fmt.Sprintf("d%03d", i), "A")
			if i == 2 {
				it.Destination = "http://b"
			}
			items = append(items, it)
		}
		mustEnqueue(t, s, 1000, items...)
		claimed := append(mustClaim(t, s, "http://a", "n1", 1000, n), mustClaim(t, s, "http://b", "n1", 1000, n)...)
		if len(claimed) != n {
			t.Fatalf("claimed %d", len(claimed))
		}
		byDoc := map[string]store.Push{}
		for _, p := range claimed {
			byDoc[p.DocID] = p
		}
		// d001 gets a newer payload while in flight; d002's lease expires and n2 takes it over.
		newer := item("d001", "B")
		newer.DocSeq = 2
		mustEnqueue(t, s, 1001, newer)
		if p, err := s.ClaimPushes(ctx(), "http://b", "n2", 200_000, 300_000, 1); err != nil || len(p) != 1 || p[0].DocID != "d002" {
			t.Fatalf("take-over %v %v", p, err)
		}
		var outs []store.PushOutcome
		for _, p := range claimed {
			o := store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "A", Sent: true, Attempted: true, Status: 200, Now: 2000, LeaseOwner: "n1"}
			switch p.DocID {
			case "d003":
				o.Sent, o.Status, o.Error, o.NextAt = false, 500, "500 - {}", 12_000
			case "d004":
				o.Hash, o.Body = "R", []byte(`{"rebuilt":true}`)
			case "d005":
				outs = append(outs, o) // recorded twice: counted twice, as one by one
			}
			outs = append(outs, o)
		}
		res, err := s.ApplyPushes(ctx(), store.PushBatch{Outcomes: outs, Now: 2000})
		if err != nil || res.Pending != 0 || len(res.Claimed) != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		for i := 0; i < n; i++ {
			doc := fmt.Sprintf("d%03d", i)
			got := onePush(t, s, doc, "c")
			switch doc {
			case "d001":
				if got.State != store.PushPending || got.Hash != "B" || got.SentHash != "A" || got.LeaseOwner != "" {
					t.Fatalf("%s: newer payload lost: %+v", doc, got)
				}
			case "d002":
				if got.State != store.PushSent || got.LeaseOwner != "n2" || got.LeaseUntil != 300_000 {
					t.Fatalf("%s: another node's lease: %+v", doc, got)
				}
			case "d003":
				if got.State != store.PushPending || got.Attempts != 1 || got.LastStatus != 500 || got.NextAt != 12_000 || got.LeaseOwner != "" {
					t.Fatalf("%s: failure: %+v", doc, got)
				}
			case "d004":
				if got.State != store.PushSent || got.Hash != "R" || got.SentHash != "R" || string(got.Body) != `{"rebuilt":true}` {
					t.Fatalf("%s: rebuilt payload: %+v", doc, got)
				}
			case "d005":
				if got.State != store.PushSent || got.Attempts != 2 {
					t.Fatalf("%s: twice: %+v", doc, got)
				}
			default:
				if got.State != store.PushSent || got.SentHash != "A" || got.SentAt != 2000 || got.UpdatedAt != 2000 || got.Attempts != 1 ||
					got.LastStatus != 200 || got.LeaseOwner != "" || got.LeaseUntil != 0 || got.Version != byDoc[doc].Version {
					t.Fatalf("%s: %+v", doc, got)
				}
			}
		}
		if c, _ := s.CountPushes(ctx()); c[store.PushSent] != n-2 || c[store.PushPending] != 2 {
			t.Fatalf("counts %v", c)
		}
	})
}

// mustEnqueueBatch queues items in one batch, each with an outbox entry of its own.
func mustEnqueueBatch(t *testing.T, s store.Store, now int64, items ...store.PushEnqueue) store.PushBatchResult {
	t.Helper()
	var seqs []int64
	for i := range items {
		items[i].Seq = outboxSeq(t, s, fmt.Sprintf("%s-b%d-%d", items[i].DocID, now, i))
		seqs = append(seqs, items[i].Seq)
	}
	res, err := s.ApplyPushes(ctx(), store.PushBatch{Seqs: seqs, Items: items, Now: now, Owner: "n1", LeaseUntil: now + 60_000})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
