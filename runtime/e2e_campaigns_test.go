package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"careflow/internal/testserver"
	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

// campaignSetup is a server in Nairobi time with a datetime field "qs" (quarantine start), a
// manual group "Quarantine" and a campaign on it.
type campaignSetup struct {
	s     *testserver.Server
	rt    *runtime.Runtime
	group *store.Group
	camp  *store.Campaign
}

func newCampaignSetup(t *testing.T, backend string) *campaignSetup {
	t.Helper()
	s := Start(t, backend, Options{Clock: runtime.NewManualClock(t0)})
	ctx := context.Background()
	rt := s.Srv.Runtime
	ws := *s.Workspace
	ws.Timezone = "Africa/Nairobi"
	if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
		t.Fatal(err)
	}
	if err := rt.Store.SaveField(ctx, &store.Field{WorkspaceID: ws.ID, Key: "qs", Name: "QS", Type: "datetime"}); err != nil {
		t.Fatal(err)
	}
	if err := rt.Store.SaveField(ctx, &store.Field{WorkspaceID: ws.ID, Key: "nickname", Name: "Nickname", Type: "text"}); err != nil {
		t.Fatal(err)
	}
	rt.Invalidate(ws.ID)
	g := &store.Group{WorkspaceID: ws.ID, Name: "Quarantine"}
	if err := rt.SaveGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	c, err := rt.CreateCampaign(ctx, ws.ID, "Quarantine", g.UUID)
	if err != nil {
		t.Fatal(err)
	}
	return &campaignSetup{s: s, rt: rt, group: g, camp: c}
}

func (cs *campaignSetup) event(t *testing.T, e *store.CampaignEvent) *store.CampaignEvent {
	t.Helper()
	if err := cs.rt.SaveCampaignEvent(context.Background(), cs.s.Workspace.ID, cs.camp.UUID, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// campaignFires are the contact's pending campaign fires.
func campaignFires(t *testing.T, s *testserver.Server, c *store.Contact) []*store.Fire {
	t.Helper()
	all, err := s.Srv.Runtime.Store.ListFires(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.Fire
	for _, f := range all {
		if f.Type == store.FireCampaign {
			out = append(out, f)
		}
	}
	return out
}

func wantFires(t *testing.T, s *testserver.Server, c *store.Contact, want ...string) {
	t.Helper()
	got := campaignFires(t, s, c)
	var g []string
	for _, f := range got {
		g = append(g, f.Scope+"@"+f.FireOn.UTC().Format(time.RFC3339))
	}
	slices.Sort(g)
	slices.Sort(want)
	if strings.Join(g, " ") != strings.Join(want, " ") {
		t.Fatalf("campaign fires %v, want %v", g, want)
	}
}

// join makes a contact on the phone and adds it to the campaign's group.
func (cs *campaignSetup) join(t *testing.T, p *testserver.Phone) *store.Contact {
	t.Helper()
	p.Event("new_conversation", nil)
	cs.s.Idle()
	c := contactOf(t, cs.s, telOf(p))
	if err := cs.rt.AddGroupMembers(context.Background(), cs.s.Workspace.ID, cs.group.ID, []int64{c.ID}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCampaignFlowEvent: a flow event timed from a date a flow sets, with a delivery hour in
// the workspace's timezone; the fire is made in the scene that set the date, moved when the
// date changes, replaced by a new version when the event is edited, and fires once with a
// campaign trigger.
func TestCampaignFlowEvent(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s := cs.s
		checkin := &Flow{Name: "Checkin", Nodes: []*Node{{Actions: []map[string]any{Say("Check-in via @trigger.type for @trigger.campaign.name")}}}}
		setQS := &Flow{Name: "SetQS", Nodes: []*Node{{Actions: []map[string]any{SetField("qs", "QS", "@(field(input.text, 1, \" \"))"), Say("noted")}}}}
		s.Import(Export(checkin, setQS))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"qs"}, FlowUUID: setQS.UUID})
		ev := cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventFlow, FlowUUID: checkin.UUID,
			RelativeTo: "qs", Offset: 1, Unit: store.CampaignUnitDays, DeliveryHour: 8})
		p := s.Phone("+250788000101")
		c := cs.join(t, p)
		wantFires(t, s, c) // no date yet
		// 2026-03-02 09:30 Nairobi; one day later at 08:00 Nairobi is 05:00 UTC
		p.Send("qs 2026-03-02T06:30:00Z")
		eq(t, p.Expect(1), "noted")
		scope1 := store.CampaignScope(ev.ID, 1)
		wantFires(t, s, c, scope1+"@2026-03-03T05:00:00Z")
		// the date moves: the fire moves with it, in the same commit
		p.Send("qs 2026-03-05T06:30:00Z")
		eq(t, p.Expect(1), "noted")
		wantFires(t, s, c, scope1+"@2026-03-06T05:00:00Z")
		// an unrelated change leaves the fire alone
		// the event is edited while its fire is pending: a new version replaces it
		ev.Offset = 2
		cs.event(t, ev)
		scope2 := store.CampaignScope(ev.ID, 2)
		wantFires(t, s, c, scope2+"@2026-03-07T05:00:00Z")
		fire(t, s, time.Date(2026, 3, 7, 4, 59, 0, 0, time.UTC).Sub(t0))
		p.Quiet(200 * time.Millisecond)
		fire(t, s, time.Minute)
		eq(t, p.Expect(1), "Check-in via campaign for Quarantine")
		wantFires(t, s, c)
		fire(t, s, time.Hour)
		p.Quiet(200 * time.Millisecond)
		runs := runsOf(t, s, c)
		n := 0
		for _, r := range runs {
			if r.FlowUUID == checkin.UUID {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("check-in runs: %d", n)
		}
	})
}

// TestCampaignStaleFire: a fire made for an old version of an event (as a node that read the
// event before an edit would make) fires nothing, and nor does a fire of a deleted event.
func TestCampaignStaleFire(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s := cs.s
		ctx := context.Background()
		ev := cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "created_on",
			Offset: 10, Unit: store.CampaignUnitMinutes, DeliveryHour: -1, Translations: json.RawMessage(`{"eng":{"text":"stale"}}`)})
		p := s.Phone("+250788000102")
		c := cs.join(t, p)
		wantFires(t, s, c, store.CampaignScope(ev.ID, 1)+"@"+t0.Add(10*time.Minute).Format(time.RFC3339))
		ev.Offset = 20
		cs.event(t, ev)
		old := &store.Fire{WorkspaceID: s.Workspace.ID, ContactID: c.ID, Type: store.FireCampaign, Scope: store.CampaignScope(ev.ID, 1), FireOn: t0.Add(time.Minute)}
		if err := cs.rt.Store.InsertFires(ctx, []*store.Fire{old}); err != nil {
			t.Fatal(err)
		}
		fire(t, s, 2*time.Minute)
		p.Quiet(300 * time.Millisecond)
		if err := cs.rt.DeleteCampaignEvent(ctx, s.Workspace.ID, ev.UUID); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c)
		gone := &store.Fire{WorkspaceID: s.Workspace.ID, ContactID: c.ID, Type: store.FireCampaign, Scope: store.CampaignScope(ev.ID, 2), FireOn: t0.Add(3 * time.Minute)}
		if err := cs.rt.Store.InsertFires(ctx, []*store.Fire{gone}); err != nil {
			t.Fatal(err)
		}
		fire(t, s, 2*time.Minute)
		p.Quiet(300 * time.Millisecond)
	})
}

// TestCampaignStartModes: with the contact waiting in a flow, a skip event does nothing, a
// passive message is sent and leaves the flow waiting, an interrupting message ends it.
func TestCampaignStartModes(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s := cs.s
		ask := &Flow{Name: "Ask", Nodes: []*Node{
			{Actions: []map[string]any{Say("Are you well?")}, Next: map[string]int{"*": 1}},
			{Wait: true, Cases: []Case{Word("yes", "Yes")}, Next: map[string]int{"Yes": 2}},
			{Actions: []map[string]any{Say("Good.")}},
		}}
		hello := say("Hello", "passive flow hello")
		s.Import(Export(ask, hello))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"ask"}, FlowUUID: ask.UUID})
		msg := func(offset int, mode, text string) {
			cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "created_on", Offset: offset,
				Unit: store.CampaignUnitMinutes, DeliveryHour: -1, StartMode: mode,
				Translations: json.RawMessage(`{"eng":{"text":"` + text + `"}}`), BaseLanguage: "eng"})
		}
		msg(10, store.CampaignStartSkip, "skipped")
		msg(20, store.CampaignStartPassive, "passive hello @contact.urn")
		cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventFlow, FlowUUID: hello.UUID, RelativeTo: "created_on",
			Offset: 30, Unit: store.CampaignUnitMinutes, DeliveryHour: -1, StartMode: store.CampaignStartPassive})
		msg(40, store.CampaignStartInterrupt, "interrupting")
		p := s.Phone("+250788000103")
		c := cs.join(t, p)
		if n := len(campaignFires(t, s, c)); n != 4 {
			t.Fatalf("fires: %d", n)
		}
		p.Send("ask")
		eq(t, p.Expect(1), "Are you well?")
		fire(t, s, 11*time.Minute)
		p.Quiet(300 * time.Millisecond)
		fire(t, s, 10*time.Minute)
		eq(t, p.Expect(1), "passive hello tel:+250788000103")
		fire(t, s, 10*time.Minute)
		eq(t, p.Expect(1), "passive flow hello")
		if c := contactOf(t, s, telOf(p)); c.CurrentFlowUUID != ask.UUID {
			t.Fatalf("passive events must leave the flow waiting: %+v", c)
		}
		fire(t, s, 10*time.Minute)
		eq(t, p.Expect(1), "interrupting")
		waitFor(t, func() bool { return contactOf(t, s, telOf(p)).CurrentSessionUUID == "" })
		p.Send("yes")
		p.Quiet(300 * time.Millisecond)
	})
}

// TestCampaignRescheduling: leaving and joining the group (manual and smart), archiving and
// restoring, moving the campaign to another group, last_seen_on events and a deleted field.
func TestCampaignRescheduling(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s, rt, ws := cs.s, cs.rt, cs.s.Workspace.ID
		ctx := context.Background()
		onQS := cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "qs", Offset: -1,
			Unit: store.CampaignUnitHours, DeliveryHour: -1, Translations: json.RawMessage(`{"eng":{"text":"soon"}}`)})
		seen := cs.event(t, &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "last_seen_on", Offset: 1,
			Unit: store.CampaignUnitWeeks, DeliveryHour: -1, Translations: json.RawMessage(`{"eng":{"text":"we miss you"}}`)})
		p := s.Phone("+250788000104")
		p.Event("new_conversation", nil)
		s.Idle()
		c := contactOf(t, s, telOf(p))
		c.Fields = json.RawMessage(`{"qs":{"text":"2026-03-10T10:00:00Z","datetime":"2026-03-10T10:00:00Z"}}`)
		if err := rt.Store.UpdateContact(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		qsFire := store.CampaignScope(onQS.ID, 1) + "@2026-03-10T09:00:00Z"
		// joining schedules (the new conversation set last_seen_on); leaving drops
		if err := rt.AddGroupMembers(ctx, ws, cs.group.ID, []int64{c.ID}); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c, qsFire, store.CampaignScope(seen.ID, 1)+"@"+t0.AddDate(0, 0, 7).Format(time.RFC3339))
		if err := rt.RemoveGroupMembers(ctx, ws, cs.group.ID, []int64{c.ID}); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c)
		if err := rt.AddGroupMembers(ctx, ws, cs.group.ID, []int64{c.ID}); err != nil {
			t.Fatal(err)
		}
		// a message moves last_seen_on: the last_seen_on event is scheduled in that commit
		s.Clock.Advance(time.Hour)
		p.Send("hello")
		s.Idle()
		wantFires(t, s, c, qsFire, store.CampaignScope(seen.ID, 1)+"@"+t0.Add(time.Hour).AddDate(0, 0, 7).Format(time.RFC3339))
		s.Clock.Advance(time.Hour)
		p.Send("hello again")
		s.Idle()
		wantFires(t, s, c, qsFire, store.CampaignScope(seen.ID, 1)+"@"+t0.Add(2*time.Hour).AddDate(0, 0, 7).Format(time.RFC3339))
		// archiving drops every fire; restoring schedules a new version
		if _, err := rt.ArchiveCampaign(ctx, ws, cs.camp.UUID, true); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c)
		if _, err := rt.ArchiveCampaign(ctx, ws, cs.camp.UUID, false); err != nil {
			t.Fatal(err)
		}
		lastSeen2 := store.CampaignScope(seen.ID, 2) + "@" + t0.Add(2*time.Hour).AddDate(0, 0, 7).Format(time.RFC3339)
		wantFires(t, s, c, store.CampaignScope(onQS.ID, 2)+"@2026-03-10T09:00:00Z", lastSeen2)
		// a smart group the contact is not in: moving the campaign there drops its fires
		if err := rt.Store.SaveField(ctx, &store.Field{WorkspaceID: ws, Key: "risk", Name: "Risk", Type: "text"}); err != nil {
			t.Fatal(err)
		}
		rt.Invalidate(ws)
		high := &store.Group{WorkspaceID: ws, Name: "High risk", Query: `risk = "high"`}
		if err := rt.SaveGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		if _, err := rt.UpdateCampaign(ctx, ws, cs.camp.UUID, "Quarantine", high.UUID); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c)
		// joining the smart group through a flow schedules in the flow's commit
		setRisk := &Flow{Name: "Risk", Nodes: []*Node{{Actions: []map[string]any{SetField("risk", "Risk", "high")}}}}
		s.Import(Export(setRisk))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"risk"}, FlowUUID: setRisk.UUID})
		s.Clock.Advance(time.Hour)
		p.Send("risk")
		s.Idle()
		wantFires(t, s, c, store.CampaignScope(onQS.ID, 3)+"@2026-03-10T09:00:00Z",
			store.CampaignScope(seen.ID, 3)+"@"+t0.Add(3*time.Hour).AddDate(0, 0, 7).Format(time.RFC3339))
		// deleting the field releases the events relative to it
		if err := rt.DeleteField(ctx, ws, "qs"); err != nil {
			t.Fatal(err)
		}
		wantFires(t, s, c, store.CampaignScope(seen.ID, 3)+"@"+t0.Add(3*time.Hour).AddDate(0, 0, 7).Format(time.RFC3339))
		if _, err := rt.Store.GetCampaignEvent(ctx, ws, onQS.UUID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("event on a deleted field: %v", err)
		}
	})
}

// TestCampaignEventBadInput: refused events say which field is wrong and schedule nothing.
func TestCampaignEventBadInput(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		ctx := context.Background()
		ok := func() *store.CampaignEvent {
			return &store.CampaignEvent{EventType: store.CampaignEventMessage, RelativeTo: "qs", Offset: 1, Unit: "D",
				DeliveryHour: -1, Translations: json.RawMessage(`{"eng":{"text":"hi"}}`)}
		}
		cases := map[string]func(e *store.CampaignEvent){
			"relative_to:":    func(e *store.CampaignEvent) { e.RelativeTo = "nickname" },
			"relative_to: ":   func(e *store.CampaignEvent) { e.RelativeTo = "nope" },
			"offset:":         func(e *store.CampaignEvent) { e.Offset = 1000000 },
			"offset: ":        func(e *store.CampaignEvent) { e.Offset, e.Unit = -600, "W" },
			"delivery_hour:":  func(e *store.CampaignEvent) { e.DeliveryHour = 24 },
			"delivery_hour: ": func(e *store.CampaignEvent) { e.DeliveryHour = -2 },
			"unit:":           func(e *store.CampaignEvent) { e.Unit = "Y" },
			"start_mode:":     func(e *store.CampaignEvent) { e.StartMode = "X" },
			"flow:":           func(e *store.CampaignEvent) { e.EventType = store.CampaignEventFlow },
			"message:":        func(e *store.CampaignEvent) { e.Translations = json.RawMessage(`{"eng":{"text":" "}}`) },
			"event_type:":     func(e *store.CampaignEvent) { e.EventType = "Z" },
		}
		for prefix, spoil := range cases {
			e := ok()
			spoil(e)
			err := cs.rt.SaveCampaignEvent(ctx, cs.s.Workspace.ID, cs.camp.UUID, e)
			var inv *runtime.InvalidError
			if !errors.As(err, &inv) || !strings.HasPrefix(inv.Msg, strings.TrimSpace(prefix)) {
				t.Errorf("%s: got %v", prefix, err)
			}
		}
		if evs, _ := cs.rt.Store.ListCampaignEvents(ctx, cs.s.Workspace.ID, 0); len(evs) != 0 {
			t.Fatalf("refused events were stored: %d", len(evs))
		}
	})
}

func telOf(p *testserver.Phone) string {
	if strings.HasPrefix(p.URN, "tel:") {
		return p.URN
	}
	return "tel:" + p.URN
}

// TestCampaignImport: a RapidPro export's campaign is created on its group with its events
// (a new datetime field for relative_to, a plain-string message in "und") and scheduled for
// the group's members; importing it again replaces the events instead of adding to them.
func TestCampaignImport(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		cs := newCampaignSetup(t, backend)
		s, ctx, ws := cs.s, context.Background(), cs.s.Workspace.ID
		checkin := say("Checkin", "check-in")
		p := s.Phone("+250788000105")
		cs.join(t, p)
		c := contactOf(t, s, telOf(p)) // with its group
		c.Fields = json.RawMessage(`{"registered":{"text":"2026-03-02T10:00:00Z","datetime":"2026-03-02T10:00:00Z"}}`)
		if err := cs.rt.Store.UpdateContact(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		var file map[string]any
		if err := json.Unmarshal(Export(checkin), &file); err != nil {
			t.Fatal(err)
		}
		file["campaigns"] = []any{map[string]any{"uuid": "c0c0c0c0-0000-4000-8000-000000000001", "name": "Registration",
			"group": map[string]any{"uuid": cs.group.UUID, "name": "Quarantine"},
			"events": []any{
				map[string]any{"uuid": "e0", "offset": 1, "unit": "D", "event_type": "F", "delivery_hour": 9,
					"relative_to": map[string]any{"key": "registered", "label": "Registered"}, "start_mode": "I",
					"flow": map[string]any{"uuid": checkin.UUID, "name": "Checkin"}},
				map[string]any{"uuid": "e1", "offset": -2, "unit": "H", "event_type": "M", "delivery_hour": -1,
					"relative_to": map[string]any{"key": "registered", "label": "Registered"}, "message": "Tomorrow!"},
				map[string]any{"uuid": "e2", "offset": 1, "unit": "W", "event_type": "F", "delivery_hour": -1,
					"relative_to": map[string]any{"key": "created_on", "label": "Created On"}, "flow": map[string]any{"uuid": "missing"}},
			}}}
		data, _ := json.Marshal(file)
		for range 2 {
			s.Import(data)
			camp, err := cs.rt.Store.GetCampaign(ctx, ws, "c0c0c0c0-0000-4000-8000-000000000001")
			if err != nil {
				t.Fatal(err)
			}
			evs, err := cs.rt.Store.ListCampaignEvents(ctx, ws, camp.ID)
			if err != nil || len(evs) != 2 {
				t.Fatalf("events: %d %v", len(evs), err)
			}
			if evs[1].BaseLanguage != "und" || string(evs[1].Translations) != `{"und":{"text":"Tomorrow!"}}` {
				t.Fatalf("message event: %s %s", evs[1].BaseLanguage, evs[1].Translations)
			}
			wantFires(t, s, c, store.CampaignScope(evs[0].ID, 1)+"@2026-03-03T06:00:00Z",
				store.CampaignScope(evs[1].ID, 1)+"@2026-03-02T08:00:00Z")
		}
	})
}
