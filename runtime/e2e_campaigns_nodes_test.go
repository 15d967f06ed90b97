package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

// TestCampaignFireSurvivesCrash: a node takes a due fire (it becomes the contact's task) and
// leases the contact, then dies before handling it; once the lease runs out another worker
// takes the task and the event fires exactly once.
func TestCampaignFireSurvivesCrash(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s, ctx := cs.s, context.Background()
		cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "created_on", Offset: 5,
			Unit: store.CampaignUnitMinutes, DeliveryHour: -1, Translations: json.RawMessage(`{"eng":{"text":"once"}}`)})
		p := s.Phone("+250788000201")
		c := cs.join(t, p)
		if len(campaignFires(t, s, c)) != 1 {
			t.Fatal("no fire scheduled")
		}
		s.Clock.Advance(6 * time.Minute)
		st := cs.rt.Store
		if n, err := st.FireDue(ctx, s.Clock.Now(), 100); err != nil || n != 1 {
			t.Fatalf("fire due: %d %v", n, err)
		}
		work, err := st.ClaimContacts(ctx, "dead-node", s.Clock.Now(), s.Clock.Now().Add(time.Minute), 10)
		if err != nil || len(work) != 1 || work[0].Contact.ID != c.ID {
			t.Fatalf("the dead node's claim: %v %v", len(work), err)
		}
		p.Quiet(300 * time.Millisecond) // leased to a node that will never answer
		s.Clock.Advance(2 * time.Minute)
		eq(t, p.Expect(1), "once")
		s.Clock.Advance(time.Hour)
		if _, err := cs.rt.FireTimers(ctx); err != nil {
			t.Fatal(err)
		}
		p.Quiet(300 * time.Millisecond)
	})
}

// TestCampaignTwoNodes: two runtimes share the database and both fire timers at once; every
// contact of the group gets the campaign's flow exactly once.
func TestCampaignTwoNodes(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s, ctx, ws := cs.s, context.Background(), cs.s.Workspace.ID
		st := cs.rt.Store
		checkin := say("Checkin", "check-in")
		s.Import(Export(checkin))
		const n = 300
		ids := make([]int64, 0, n)
		qs := t0.Add(time.Hour).Format(time.RFC3339)
		for i := range n {
			c := &store.Contact{WorkspaceID: ws, Status: "active", CreatedOn: t0,
				Fields: json.RawMessage(fmt.Sprintf(`{"qs":{"text":%q,"datetime":%q}}`, qs, qs)),
				URNs:   []store.ContactURN{{Identity: fmt.Sprintf("tel:+25078810%04d", i)}}, Groups: []int64{cs.group.ID}}
			if err := st.CreateContact(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventFlow, FlowUUID: checkin.UUID, RelativeTo: "qs",
			Offset: 0, Unit: store.CampaignUnitMinutes, DeliveryHour: -1})
		second := runtime.New(st, nil, s.Clock, nil, runtime.Config{ClaimBatch: 20, PollEvery: 20 * time.Millisecond})
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { _ = second.Run(rctx); close(done) }()
		defer func() { stop(); <-done }()
		s.Clock.Advance(2 * time.Hour)
		var wg sync.WaitGroup
		for _, rt := range []*runtime.Runtime{cs.rt, second, cs.rt, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k, err := rt.FireTimers(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if k == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		waitFor(t, func() bool {
			runs, err := st.ListRuns(ctx, ws, store.RunQuery{FlowUUID: checkin.UUID, Limit: 2 * n})
			return err == nil && len(runs) >= n
		})
		s.Idle() // every queued task handled: a duplicate would have run by now
		runs, err := st.ListRuns(ctx, ws, store.RunQuery{FlowUUID: checkin.UUID, Limit: 2 * n})
		if err != nil {
			t.Fatal(err)
		}
		per := map[int64]int{}
		for _, r := range runs {
			per[r.ContactID]++
		}
		for _, id := range ids {
			if per[id] != 1 {
				t.Fatalf("contact %d started %d times (%d runs)", id, per[id], len(runs))
			}
		}
	})
}
