package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

// TestScheduledBroadcastAndTrigger: a daily broadcast fires at its local time each day and
// not while paused; a weekly scheduled trigger starts its flow for a group on its days; two
// nodes firing at once create each firing once; bad schedules are refused.
func TestScheduledBroadcastAndTrigger(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend) // Nairobi time, group "Quarantine"
		s, rt, ws, ctx := cs.s, cs.rt, cs.s.Workspace.ID, context.Background()
		p := s.Phone("+250788000301")
		cs.join(t, p)
		fireSchedules := func(d time.Duration) {
			t.Helper()
			s.Clock.Advance(d)
			if _, err := rt.FireSchedules(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// t0 is 12:00 in Nairobi; the broadcast goes daily at 13:00 Nairobi from today
		daily := &store.Schedule{WorkspaceID: ws, Repeat: store.RepeatDaily, Start: t0.Add(time.Hour),
			Broadcast: &store.Broadcast{Translations: json.RawMessage(`{"eng":{"text":"daily reminder"}}`), GroupUUIDs: []string{cs.group.UUID}}}
		if err := rt.SaveSchedule(ctx, daily); err != nil {
			t.Fatal(err)
		}
		if !daily.NextFire.Equal(t0.Add(time.Hour)) {
			t.Fatalf("next fire %v", daily.NextFire)
		}
		fireSchedules(59 * time.Minute)
		p.Quiet(200 * time.Millisecond)
		fireSchedules(time.Minute)
		eq(t, p.Expect(1), "daily reminder")
		got, _ := rt.Store.GetSchedule(ctx, ws, daily.UUID)
		if !got.NextFire.Equal(t0.Add(25 * time.Hour)) {
			t.Fatalf("next fire after the first: %v", got.NextFire)
		}
		if _, err := rt.PauseSchedule(ctx, ws, daily.UUID, true); err != nil {
			t.Fatal(err)
		}
		fireSchedules(24 * time.Hour)
		p.Quiet(200 * time.Millisecond)
		if _, err := rt.PauseSchedule(ctx, ws, daily.UUID, false); err != nil {
			t.Fatal(err)
		}
		fireSchedules(24 * time.Hour)
		eq(t, p.Expect(1), "daily reminder")

		// a weekly trigger on Tuesdays (t0 is a Sunday): two nodes fire it at once
		hello := say("Weekly", "weekly check-in via @trigger.type")
		s.Import(Export(hello))
		weekly := &store.Schedule{WorkspaceID: ws, Repeat: store.RepeatWeekly, DaysOfWeek: "T", Start: s.Clock.Now().Add(time.Minute),
			FlowStart: &store.FlowStart{FlowUUID: hello.UUID, GroupUUIDs: []string{cs.group.UUID}}}
		if err := rt.SaveSchedule(ctx, weekly); err != nil {
			t.Fatal(err)
		}
		if err := rt.Store.DeleteSchedule(ctx, ws, daily.UUID); err != nil {
			t.Fatal(err)
		}
		second := runtime.New(rt.Store, nil, s.Clock, nil, runtime.Config{})
		s.Clock.Advance(2 * time.Minute) // the start time itself
		var wg sync.WaitGroup
		fired := make([]int, 4)
		for i, r := range []*runtime.Runtime{rt, second, rt, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := r.FireSchedules(ctx)
				if err != nil {
					t.Error(err)
				}
				fired[i] = n
			}()
		}
		wg.Wait()
		if fired[0]+fired[1]+fired[2]+fired[3] != 1 {
			t.Fatalf("fired %v, want once in all", fired)
		}
		eq(t, p.Expect(1), "weekly check-in via manual")
		got, _ = rt.Store.GetSchedule(ctx, ws, weekly.UUID)
		if got.NextFire == nil || got.NextFire.In(time.UTC).Weekday() != time.Tuesday {
			t.Fatalf("weekly next fire %v", got.NextFire)
		}
		list, err := rt.Store.ListSchedules(ctx, ws)
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %d %v", len(list), err)
		}

		for name, bad := range map[string]*store.Schedule{
			"repeat_period":       {Repeat: "Y", Start: t0, Broadcast: daily.Broadcast},
			"repeat_days_of_week": {Repeat: "W", Start: t0, DaysOfWeek: "X", Broadcast: daily.Broadcast},
			"start":               {Repeat: "O", Broadcast: daily.Broadcast},
			"flow":                {Repeat: "O", Start: t0, FlowStart: &store.FlowStart{FlowUUID: "nope", GroupUUIDs: []string{cs.group.UUID}}},
			"non_field_errors":    {Repeat: "O", Start: t0},
		} {
			bad.WorkspaceID = ws
			var inv *runtime.InvalidError
			if err := rt.SaveSchedule(ctx, bad); !errors.As(err, &inv) || inv.Msg[:len(name)] != name {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}
