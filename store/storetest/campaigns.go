package storetest

import (
	"errors"
	"testing"
	"time"

	"careflow/store"
)

// testCampaigns covers campaigns, events, their fires and schedules.
func testCampaigns(t *testing.T, open Opener) {
	s := open(t)
	ws := &store.Workspace{UUID: "9a1f0000-0000-4000-8000-000000000001", Name: "camp", Timezone: "UTC", CreatedOn: time.Now()}
	if err := s.CreateWorkspace(ctx(), ws); err != nil {
		t.Fatal(err)
	}
	g := &store.Group{WorkspaceID: ws.ID, Name: "G"}
	if err := s.SaveGroup(ctx(), g); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range []string{"tel:+1001", "tel:+1002", "tel:+1003"} {
		c := &store.Contact{WorkspaceID: ws.ID, Status: "active", URNs: []store.ContactURN{{Identity: u}}, Groups: []int64{g.ID}}
		if err := s.CreateContact(ctx(), c, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	c := &store.Campaign{WorkspaceID: ws.ID, Name: "C", GroupID: g.ID}
	if err := s.SaveCampaign(ctx(), c); err != nil || c.ID == 0 || c.UUID == "" {
		t.Fatalf("save campaign: %v %+v", err, c)
	}
	if err := s.SaveCampaign(ctx(), &store.Campaign{WorkspaceID: ws.ID, UUID: c.UUID, Name: "dup", GroupID: g.ID}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate UUID: %v", err)
	}
	e := &store.CampaignEvent{WorkspaceID: ws.ID, CampaignID: c.ID, EventType: "M", RelativeTo: "created_on", Offset: -2, Unit: "D",
		DeliveryHour: 7, StartMode: "S", Translations: []byte(`{"eng":{"text":"hi"}}`), BaseLanguage: "eng"}
	if err := s.SaveCampaignEvent(ctx(), e); err != nil || e.FireVersion != 1 || e.Status != store.CampaignEventReady {
		t.Fatalf("save event: %v %+v", err, e)
	}
	got, err := s.GetCampaignEvent(ctx(), ws.ID, e.UUID)
	if err != nil || got.Offset != -2 || got.DeliveryHour != 7 || got.StartMode != "S" || string(got.Translations) != `{"eng":{"text":"hi"}}` {
		t.Fatalf("get event: %v %+v", err, got)
	}
	members, err := s.CampaignEventContacts(ctx(), g.ID, ids[0], 10)
	if err != nil || len(members) != 2 || members[0].ContactID != ids[1] {
		t.Fatalf("members after the first: %v %d", err, len(members))
	}
	on := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli()).UTC()
	fire := func(id int64, v int) *store.Fire {
		return &store.Fire{ContactID: id, Scope: store.CampaignScope(e.ID, v), FireOn: on}
	}
	if err := s.ReplaceCampaignFires(ctx(), ws.ID, e.ID, true, []*store.Fire{fire(ids[0], 1), fire(ids[1], 1), fire(ids[1], 1)}); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.ListFires(ctx(), ids[1]); len(fs) != 1 || fs[0].Type != store.FireCampaign || !fs[0].FireOn.Equal(on) {
		t.Fatalf("one fire per contact and version: %+v", fs)
	}
	// The console's next fires: soonest first, paged by (fire_on, id), counted per scope; a
	// stale version's fires are not the event's.
	later := &store.Fire{ContactID: ids[2], Scope: store.CampaignScope(e.ID, 1), FireOn: on.Add(time.Minute)}
	stale := &store.Fire{ContactID: ids[2], Scope: store.CampaignScope(e.ID, 0), FireOn: on}
	if err := s.ReplaceCampaignFires(ctx(), ws.ID, e.ID, false, []*store.Fire{later, stale}); err != nil {
		t.Fatal(err)
	}
	q := store.CampaignFireQuery{Scopes: []string{e.Scope()}, Limit: 2}
	page1, err := s.ListCampaignFires(ctx(), ws.ID, q)
	if err != nil || len(page1) != 2 || page1[0].ContactID != ids[0] || page1[1].ContactID != ids[1] || !page1[0].FireOn.Equal(on) || page1[0].ContactUUID == "" {
		t.Fatalf("fires page 1: %v %+v", err, page1)
	}
	q.AfterOn, q.AfterID = page1[1].FireOn, page1[1].ID
	page2, err := s.ListCampaignFires(ctx(), ws.ID, q)
	if err != nil || len(page2) != 1 || page2[0].ContactID != ids[2] || page2[0].Scope != e.Scope() {
		t.Fatalf("fires page 2: %v %+v", err, page2)
	}
	counts, err := s.CountCampaignFires(ctx(), ws.ID, []string{e.Scope(), "999:1"})
	if err != nil || counts[e.Scope()] != 3 || counts["999:1"] != 0 || len(counts) != 1 {
		t.Fatalf("fire counts: %v %v", err, counts)
	}
	if err := s.ReplaceCampaignFires(ctx(), ws.ID, e.ID, true, []*store.Fire{fire(ids[2], 2)}); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.ListFires(ctx(), ids[0]); len(fs) != 0 {
		t.Fatalf("cleared fires remain: %+v", fs)
	}
	if err := s.DeleteCampaignEvent(ctx(), ws.ID, e.UUID); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.ListFires(ctx(), ids[2]); len(fs) != 0 {
		t.Fatalf("a deleted event's fires remain: %+v", fs)
	}
	if _, err := s.GetCampaignEventByID(ctx(), e.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted event: %v", err)
	}
	if err := s.DeleteCampaign(ctx(), ws.ID, c.UUID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.ListCampaigns(ctx(), ws.ID); len(list) != 0 {
		t.Fatalf("campaigns left: %d", len(list))
	}

	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	due := now.Add(-time.Minute)
	sc := &store.Schedule{WorkspaceID: ws.ID, Repeat: store.RepeatDaily, Start: due, NextFire: &due,
		Broadcast: &store.Broadcast{Translations: []byte(`{"eng":{"text":"daily"}}`), BaseLanguage: "eng", GroupUUIDs: []string{g.UUID}}}
	if err := s.SaveSchedule(ctx(), sc); err != nil {
		t.Fatal(err)
	}
	tomorrow := due.Add(24 * time.Hour)
	next := func(*store.Schedule) *time.Time { return &tomorrow }
	if n, err := s.FireDueSchedules(ctx(), now, 10, next); err != nil || n != 1 {
		t.Fatalf("fire: %d %v", n, err)
	}
	if n, _ := s.FireDueSchedules(ctx(), now, 10, next); n != 0 {
		t.Fatalf("fired twice: %d", n)
	}
	got2, err := s.GetSchedule(ctx(), ws.ID, sc.UUID)
	if err != nil || got2.NextFire == nil || !got2.NextFire.Equal(tomorrow) || got2.LastFire == nil || got2.Broadcast == nil {
		t.Fatalf("after firing: %v %+v", err, got2)
	}
	if bs, _ := s.ListBroadcasts(ctx(), ws.ID, 0, 10); len(bs) != 1 || bs[0].Status != store.StartPending || bs[0].GroupUUIDs[0] != g.UUID {
		t.Fatalf("broadcasts: %+v", bs)
	}
}
