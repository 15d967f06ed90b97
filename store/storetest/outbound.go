package storetest

import (
	"fmt"
	"sync"
	"testing"

	"careflow/store"
)

// outboxSeq writes a document and returns the outbox entry the write made.
func outboxSeq(t *testing.T, s store.Store, id string) int64 {
	t.Helper()
	res := mustWrite(t, s, store.DocWrite{ID: id, Fields: []byte(`{"v":1}`)})
	return res[0].Seq
}

func mustEnqueue(t *testing.T, s store.Store, now int64, items ...store.PushEnqueue) int {
	t.Helper()
	var seqs []int64
	for i := range items {
		if items[i].Seq == 0 {
			items[i].Seq = outboxSeq(t, s, fmt.Sprintf("%s-w%d-%d", items[i].DocID, now, i))
		}
		seqs = append(seqs, items[i].Seq)
	}
	res, err := s.ApplyPushes(ctx(), store.PushBatch{Seqs: seqs, Items: items, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res.Pending
}

func onePush(t *testing.T, s store.Store, doc, config string) store.Push {
	t.Helper()
	ps, err := s.ListPushes(ctx(), store.PushQuery{DocID: doc, Config: config})
	if err != nil || len(ps) != 1 {
		t.Fatalf("list %s/%s: %v %v", doc, config, ps, err)
	}
	return ps[0]
}

func mustClaim(t *testing.T, s store.Store, dest, owner string, now int64, limit int) []store.Push {
	t.Helper()
	ps, err := s.ClaimPushes(ctx(), dest, owner, now, now+60_000, limit)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func mustComplete(t *testing.T, s store.Store, o ...store.PushOutcome) {
	t.Helper()
	if _, err := s.ApplyPushes(ctx(), store.PushBatch{Outcomes: o}); err != nil {
		t.Fatal(err)
	}
}

func item(doc, hash string) store.PushEnqueue {
	return store.PushEnqueue{DocID: doc, Config: "c", Destination: "http://a", Body: []byte(`{"h":"` + hash + `"}`), Hash: hash, DocSeq: 1}
}

func testOutbound(t *testing.T, open Opener) {
	t.Run("EnqueueConsumesOutboxOnce", func(t *testing.T) {
		s := open(t)
		seq := outboxSeq(t, s, "d1")
		it := item("d1", "h1")
		it.Seq = seq
		if n := mustEnqueue(t, s, 1000, it); n != 1 {
			t.Fatalf("first consumer enqueued %d", n)
		}
		if n := mustEnqueue(t, s, 1000, it); n != 0 {
			t.Fatalf("second consumer of the same change enqueued %d", n)
		}
		left, _ := s.ReadDocChanges(ctx(), 0, 10)
		for _, c := range left {
			if c.Seq == seq {
				t.Fatal("outbox entry not consumed")
			}
		}
	})
	t.Run("DedupeByHash", func(t *testing.T) {
		s := open(t)
		mustEnqueue(t, s, 1000, item("d", "A"))
		p := mustClaim(t, s, "http://a", "n1", 1000, 10)[0]
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "A", Sent: true, Attempted: true, Status: 200, Now: 1001, LeaseOwner: "n1"})
		if got := onePush(t, s, "d", "c"); got.State != store.PushSent || got.SentHash != "A" || got.Attempts != 1 {
			t.Fatalf("after ack: %+v", got)
		}
		if n := mustEnqueue(t, s, 2000, item("d", "A")); n != 0 {
			t.Fatal("an acknowledged payload was queued again")
		}
		if n := mustEnqueue(t, s, 3000, item("d", "B")); n != 1 {
			t.Fatal("a changed payload was not queued")
		}
		if got := onePush(t, s, "d", "c"); got.State != store.PushPending || got.Hash != "B" || got.Attempts != 0 {
			t.Fatalf("after change: %+v", got)
		}
		// Back to the acknowledged payload before B went out: nothing left to send.
		mustEnqueue(t, s, 4000, item("d", "A"))
		if got := onePush(t, s, "d", "c"); got.State != store.PushSent {
			t.Fatalf("reverting to the sent payload: %+v", got)
		}
	})
	t.Run("OlderRevisionIgnored", func(t *testing.T) {
		s := open(t)
		newer := item("d", "new")
		newer.DocSeq = 5
		mustEnqueue(t, s, 1000, newer)
		older := item("d", "old")
		older.DocSeq = 4
		mustEnqueue(t, s, 1001, older)
		if got := onePush(t, s, "d", "c"); got.Hash != "new" {
			t.Fatalf("late older revision replaced the payload: %+v", got)
		}
	})
	t.Run("ClaimLeasesAndSkips", func(t *testing.T) {
		s := open(t)
		for i := 0; i < 5; i++ {
			mustEnqueue(t, s, 1000, item(fmt.Sprintf("d%d", i), "h"))
		}
		other := item("x", "h")
		other.Destination = "http://b"
		mustEnqueue(t, s, 1000, other)
		due, err := s.DueDestinations(ctx(), 1000)
		if err != nil || len(due) != 2 {
			t.Fatalf("due %v %v", due, err)
		}
		a := mustClaim(t, s, "http://a", "n1", 1000, 3)
		b := mustClaim(t, s, "http://a", "n2", 1000, 10)
		if len(a) != 3 || len(b) != 2 {
			t.Fatalf("claims %d and %d", len(a), len(b))
		}
		if c := mustClaim(t, s, "http://a", "n3", 1000, 10); len(c) != 0 {
			t.Fatalf("claimed leased rows: %d", len(c))
		}
		// A lease that expires is taken over.
		if c := mustClaim(t, s, "http://a", "n3", 1000+60_001, 10); len(c) != 5 {
			t.Fatalf("expired leases not reclaimed: %d", len(c))
		}
		if err := s.ReleasePushes(ctx(), "n3"); err != nil {
			t.Fatal(err)
		}
		if c := mustClaim(t, s, "http://a", "n4", 1000, 10); len(c) != 5 {
			t.Fatalf("released leases not claimable: %d", len(c))
		}
	})
	t.Run("ConcurrentClaimsAreDisjoint", func(t *testing.T) {
		s := open(t)
		for i := 0; i < 40; i++ {
			mustEnqueue(t, s, 1000, item(fmt.Sprintf("d%d", i), "h"))
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					ps, err := s.ClaimPushes(ctx(), "http://a", fmt.Sprintf("n%d", w), 1000, 999_999, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(ps) == 0 {
						return
					}
					mu.Lock()
					for _, p := range ps {
						seen[p.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 40 {
			t.Fatalf("claimed %d distinct pushes", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("push %d claimed %d times", id, n)
			}
		}
	})
	t.Run("EnqueueAndClaim", func(t *testing.T) {
		s := open(t)
		it := item("d", "A")
		it.Claim = true
		it.Seq = outboxSeq(t, s, "d")
		res, err := s.ApplyPushes(ctx(), store.PushBatch{Seqs: []int64{it.Seq}, Items: []store.PushEnqueue{it}, Now: 1000, Owner: "n1", LeaseUntil: 61_000})
		if err != nil || res.Pending != 1 || len(res.Claimed) != 1 {
			t.Fatalf("claim on enqueue: %+v %v", res, err)
		}
		p := res.Claimed[0]
		if got := onePush(t, s, "d", "c"); got.LeaseOwner != "n1" || got.Version != p.Version || got.ID != p.ID || string(got.Body) != string(p.Body) {
			t.Fatalf("claimed %+v, stored %+v", p, got)
		}
		if c := mustClaim(t, s, "http://a", "n2", 1000, 10); len(c) != 0 {
			t.Fatal("a push claimed on enqueue was claimed again")
		}
		// A new payload while it is in flight is queued but not claimed.
		nb := item("d", "B")
		nb.Claim, nb.DocSeq = true, 2
		nb.Seq = outboxSeq(t, s, "d2")
		res, err = s.ApplyPushes(ctx(), store.PushBatch{Seqs: []int64{nb.Seq}, Items: []store.PushEnqueue{nb}, Now: 1001, Owner: "n1", LeaseUntil: 61_001})
		if err != nil || res.Pending != 1 || len(res.Claimed) != 0 {
			t.Fatalf("claim over a live lease: %+v %v", res, err)
		}
	})
	t.Run("PayloadThatCouldNotBeBuilt", func(t *testing.T) {
		s := open(t)
		bad := store.PushEnqueue{DocID: "d", Config: "c", Destination: "http://a", DocSeq: 1, Eval: store.EvalMapping, Error: "cannot find", NextAt: 11_000}
		mustEnqueue(t, s, 1000, bad)
		got := onePush(t, s, "d", "c")
		if got.State != store.PushPending || got.Eval != store.EvalMapping || got.Attempts != 1 || got.LastError != "cannot find" || got.NextAt != 11_000 {
			t.Fatalf("queued: %+v", got)
		}
		bad.DocSeq = 2
		mustEnqueue(t, s, 2000, bad) // fails the same way again: left as it is
		if again := onePush(t, s, "d", "c"); again.Version != got.Version || again.NextAt != 11_000 {
			t.Fatalf("re-queued: %+v", again)
		}
		p := mustClaim(t, s, "http://a", "n1", 11_000, 1)[0]
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "H", Body: []byte(`{"x":1}`), Sent: true, Attempted: true, Status: 200, Now: 11_001, LeaseOwner: "n1"})
		if got := onePush(t, s, "d", "c"); got.State != store.PushSent || got.Eval != "" || got.Hash != "H" || got.SentHash != "H" || string(got.Body) != `{"x":1}` {
			t.Fatalf("after the rebuilt payload was sent: %+v", got)
		}
	})
	t.Run("FailureRetryDeadRequeue", func(t *testing.T) {
		s := open(t)
		mustEnqueue(t, s, 1000, item("d", "A"))
		p := mustClaim(t, s, "http://a", "n1", 1000, 1)[0]
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "A", Attempted: true, Status: 500, Error: "500 - {}", NextAt: 11_000, Now: 1001, LeaseOwner: "n1"})
		got := onePush(t, s, "d", "c")
		if got.State != store.PushPending || got.Attempts != 1 || got.LastStatus != 500 || got.NextAt != 11_000 || got.LeaseOwner != "" {
			t.Fatalf("after failure: %+v", got)
		}
		if c := mustClaim(t, s, "http://a", "n1", 5000, 1); len(c) != 0 {
			t.Fatal("claimed before its next try")
		}
		p = mustClaim(t, s, "http://a", "n1", 11_000, 1)[0]
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "A", Attempted: true, Dead: true, Error: "refused", Now: 11_001, LeaseOwner: "n1"})
		if got := onePush(t, s, "d", "c"); got.State != store.PushDead || got.Attempts != 2 {
			t.Fatalf("after dead-letter: %+v", got)
		}
		if c, _ := s.CountPushes(ctx()); c[store.PushDead] != 1 {
			t.Fatalf("counts %v", c)
		}
		n, err := s.RequeuePushes(ctx(), store.PushQuery{Config: "c"}, 20_000)
		if err != nil || n != 1 {
			t.Fatalf("requeue %d %v", n, err)
		}
		if got := onePush(t, s, "d", "c"); got.State != store.PushPending || got.Attempts != 0 || got.NextAt != 20_000 {
			t.Fatalf("after requeue: %+v", got)
		}
	})
	t.Run("AckOfOlderPayloadKeepsNewerPending", func(t *testing.T) {
		s := open(t)
		mustEnqueue(t, s, 1000, item("d", "A"))
		p := mustClaim(t, s, "http://a", "n1", 1000, 1)[0]
		newer := item("d", "B")
		newer.DocSeq = 2
		mustEnqueue(t, s, 1001, newer) // arrives while A is in flight
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "A", Sent: true, Attempted: true, Status: 200, Now: 1002, LeaseOwner: "n1"})
		got := onePush(t, s, "d", "c")
		if got.State != store.PushPending || got.Hash != "B" || got.SentHash != "A" || got.LeaseOwner != "" {
			t.Fatalf("newer payload lost: %+v", got)
		}
		// A failure recorded for an outdated version must not count against the new payload.
		p = mustClaim(t, s, "http://a", "n1", 1003, 1)[0]
		newest := item("d", "C")
		newest.DocSeq = 3
		mustEnqueue(t, s, 1004, newest)
		mustComplete(t, s, store.PushOutcome{ID: p.ID, Version: p.Version, Hash: "B", Attempted: true, Status: 500, NextAt: 99_999, Now: 1005, LeaseOwner: "n1"})
		if got := onePush(t, s, "d", "c"); got.Hash != "C" || got.Attempts != 0 || got.NextAt == 99_999 || got.LeaseOwner != "" {
			t.Fatalf("stale failure applied: %+v", got)
		}
	})
}
