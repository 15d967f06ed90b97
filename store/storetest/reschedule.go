package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"careflow/store"
)

// testReschedule: contact and membership writes call the Reschedule hook with the contact as
// it was (read in the transaction) and as written, only for contacts whose membership
// changes, and store what it returns in the same transaction.
func testReschedule(t *testing.T, open Opener) {
	s := open(t)
	ws := &store.Workspace{UUID: "9a1f0000-0000-4000-8000-000000000002", Name: "resched", Timezone: "UTC", CreatedOn: time.Now()}
	ok(t, s.CreateWorkspace(ctx(), ws))
	g := &store.Group{WorkspaceID: ws.ID, Name: "G"}
	ok(t, s.SaveGroup(ctx(), g))
	on := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli()).UTC()
	var calls []string
	// The hook clears event 8 and schedules event 7 for every contact it sees.
	resched := func(before, after *store.Contact) ([]int64, []*store.Fire) {
		was := "new"
		if before != nil {
			was = fmt.Sprintf("%s%v", before.Name, before.Groups)
		}
		calls = append(calls, fmt.Sprintf("%d:%s>%s%v", after.ID, was, after.Name, after.Groups))
		return []int64{8}, []*store.Fire{{WorkspaceID: ws.ID, Type: store.FireCampaign, Scope: "7:1", FireOn: on}}
	}
	scopes := func(id int64) []string {
		t.Helper()
		fs, err := s.ListFires(ctx(), id)
		ok(t, err)
		var out []string
		for _, f := range fs {
			out = append(out, f.Scope)
		}
		slices.Sort(out)
		return out
	}
	want := func(got []string, want ...string) {
		t.Helper()
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	a := &store.Contact{WorkspaceID: ws.ID, Name: "A", Status: "active", URNs: []store.ContactURN{{Identity: "tel:+2001"}}}
	ok(t, s.CreateContact(ctx(), a, resched))
	want(calls, fmt.Sprintf("%d:new>A[]", a.ID))
	want(scopes(a.ID), "7:1")
	b := &store.Contact{WorkspaceID: ws.ID, Name: "B", Status: "active", URNs: []store.ContactURN{{Identity: "tel:+2002"}}}
	ok(t, s.CreateContact(ctx(), b, nil))
	want(scopes(b.ID))

	// An update: the hook sees the stored contact before the write; event 8's fire goes.
	ok(t, s.InsertFires(ctx(), []*store.Fire{{WorkspaceID: ws.ID, ContactID: a.ID, Type: store.FireCampaign, Scope: "8:3", FireOn: on}}))
	want(scopes(a.ID), "7:1", "8:3")
	calls = nil
	a.Name = "A2"
	ok(t, s.UpdateContact(ctx(), a, resched))
	want(calls, fmt.Sprintf("%d:A[]>A2[]", a.ID))
	want(scopes(a.ID), "7:1")

	// Membership: only contacts whose membership changes are rescheduled.
	calls = nil
	ok(t, s.AddGroupMembers(ctx(), g.ID, []int64{a.ID, b.ID}, resched))
	want(calls, fmt.Sprintf("%d:A2[]>A2[%d]", a.ID, g.ID), fmt.Sprintf("%d:B[]>B[%d]", b.ID, g.ID))
	want(scopes(b.ID), "7:1")
	calls = nil
	ok(t, s.AddGroupMembers(ctx(), g.ID, []int64{a.ID}, resched))
	want(calls)
	ok(t, s.InsertFires(ctx(), []*store.Fire{{WorkspaceID: ws.ID, ContactID: b.ID, Type: store.FireCampaign, Scope: "8:1", FireOn: on}}))
	ok(t, s.RemoveGroupMembers(ctx(), g.ID, []int64{b.ID, 999999}, resched))
	want(calls, fmt.Sprintf("%d:B[%d]>B[]", b.ID, g.ID))
	want(scopes(b.ID), "7:1")

	smart := &store.Group{WorkspaceID: ws.ID, Name: "S", Query: "name = A2"}
	ok(t, s.SaveGroup(ctx(), smart))
	calls = nil
	added, removed, err := s.SetGroupMembers(ctx(), smart.ID, []int64{a.ID}, resched)
	ok(t, err)
	if !slices.Equal(added, []int64{a.ID}) || len(removed) != 0 {
		t.Fatalf("set members: %v %v", added, removed)
	}
	want(calls, fmt.Sprintf("%d:A2[%d]>A2[%d %d]", a.ID, g.ID, g.ID, smart.ID))
	calls = nil
	_, _, err = s.SetGroupMembers(ctx(), smart.ID, []int64{b.ID}, resched)
	ok(t, err)
	want(calls, fmt.Sprintf("%d:B[]>B[%d]", b.ID, smart.ID), fmt.Sprintf("%d:A2[%d %d]>A2[%d]", a.ID, g.ID, smart.ID, g.ID))

	// Deleting a field takes the events relative to it, with their fires, in its transaction.
	ok(t, s.SaveField(ctx(), &store.Field{WorkspaceID: ws.ID, Key: "qs", Name: "QS", Type: "datetime"}))
	camp := &store.Campaign{WorkspaceID: ws.ID, Name: "C", GroupID: g.ID}
	ok(t, s.SaveCampaign(ctx(), camp))
	event := func(relativeTo string) *store.CampaignEvent {
		e := &store.CampaignEvent{WorkspaceID: ws.ID, CampaignID: camp.ID, EventType: "M", RelativeTo: relativeTo, Offset: 1, Unit: "D",
			DeliveryHour: -1, StartMode: "I", Translations: []byte(`{"eng":{"text":"hi"}}`), BaseLanguage: "eng", FireVersion: 1}
		ok(t, s.SaveCampaignEvent(ctx(), e))
		ok(t, s.ReplaceCampaignFires(ctx(), ws.ID, e.ID, true, []*store.Fire{{ContactID: a.ID, Scope: e.Scope(), FireOn: on}}))
		return e
	}
	onQS, onCreated := event("qs"), event(store.CampaignRelativeCreatedOn)
	ok(t, s.DeleteField(ctx(), ws.ID, "qs"))
	if _, err := s.GetCampaignEvent(ctx(), ws.ID, onQS.UUID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("event on the deleted field: %v", err)
	}
	if _, err := s.GetCampaignEvent(ctx(), ws.ID, onCreated.UUID); err != nil {
		t.Fatalf("event on created_on: %v", err)
	}
	want(scopes(a.ID), onCreated.Scope(), "7:1")

	// A campaign and its events saved with their fires: every older fire of the events goes,
	// the new ones take the saved version's scope, and the events are ready.
	onCreated.FireVersion, onCreated.Status = 2, store.CampaignEventScheduling
	camp.Archived = true
	ok(t, s.SaveCampaignSchedule(ctx(), camp, []*store.ScheduledEvent{{Event: onCreated,
		Fires: []*store.Fire{{ContactID: a.ID, FireOn: on}, {ContactID: b.ID, FireOn: on}}}}))
	want(scopes(a.ID), "7:1", onCreated.Scope())
	want(scopes(b.ID), "7:1", onCreated.Scope())
	got, err := s.GetCampaignEvent(ctx(), ws.ID, onCreated.UUID)
	ok(t, err)
	if got.FireVersion != 2 || got.Status != store.CampaignEventReady {
		t.Fatalf("saved event: %+v", got)
	}
	if c, err := s.GetCampaign(ctx(), ws.ID, camp.UUID); err != nil || !c.Archived {
		t.Fatalf("saved campaign: %v %+v", err, c)
	}
	// a new event gets its ID, and its fires its scope, in the same transaction
	fresh := &store.CampaignEvent{WorkspaceID: ws.ID, CampaignID: camp.ID, EventType: "M", RelativeTo: store.CampaignRelativeLastSeenOn,
		Offset: 1, Unit: "D", DeliveryHour: -1, StartMode: "I", Translations: []byte(`{"eng":{"text":"hi"}}`), BaseLanguage: "eng"}
	ok(t, s.SaveCampaignSchedule(ctx(), nil, []*store.ScheduledEvent{{Event: fresh, Fires: []*store.Fire{{ContactID: a.ID, FireOn: on}}}}))
	if fresh.ID == 0 || fresh.FireVersion != 1 {
		t.Fatalf("new event: %+v", fresh)
	}
	want(scopes(a.ID), "7:1", fresh.Scope(), onCreated.Scope())
}
