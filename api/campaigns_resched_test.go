package api_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
	"careflow/store/sqlstore"
)

var reschedT0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// reschedSetup is a server on a manual clock with datetime field qs and text field risk, a
// manual group Quarantine with campaign Q on it: event onQS (one day after qs) and event
// onCreated (two hours after created_on), all made over the API.
type reschedSetup struct {
	s               *Server
	c               *client
	rt              *runtime.Runtime
	onQS, onCreated int64
	quarantine      string
	camp            string
	// events maps event IDs to UUIDs.
	events map[int64]string
}

func newReschedSetup(t *testing.T, backend string) *reschedSetup {
	t.Helper()
	s := Start(t, backend, Options{Clock: runtime.NewManualClock(reschedT0)})
	c := newClient(t, s)
	c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "QS", "type": "datetime"}, 201, nil)
	c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Risk", "type": "text"}, 201, nil)
	g := obj(c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Quarantine"}, 201, nil))
	camp := obj(c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "Q", "group": g["uuid"]}, 201, nil))
	rs := &reschedSetup{s: s, c: c, rt: s.Srv.Runtime, quarantine: g["uuid"].(string), camp: camp["uuid"].(string), events: map[int64]string{}}
	rs.onQS = rs.event(t, "Q", "qs", 1, "days")
	rs.onCreated = rs.event(t, "Q", "created_on", 2, "hours")
	return rs
}

// event creates a message event over the API and returns its ID.
func (rs *reschedSetup) event(t *testing.T, campaign, relativeTo string, offset int, unit string) int64 {
	t.Helper()
	ev := obj(rs.c.expect("POST", "/api/v2/campaign_events.json", map[string]any{"campaign": campaign, "relative_to": relativeTo,
		"offset": offset, "unit": unit, "delivery_hour": -1, "message": "Reminder"}, 201, nil))
	e, err := rs.rt.Store.GetCampaignEvent(context.Background(), rs.s.Workspace.ID, ev["uuid"].(string))
	if err != nil {
		t.Fatal(err)
	}
	rs.events[e.ID] = e.UUID
	return e.ID
}

// contactID is the ID of the contact with that UUID.
func (rs *reschedSetup) contactID(t *testing.T, uuid string) int64 {
	t.Helper()
	ids, err := rs.rt.Store.FindContactIDs(context.Background(), rs.s.Workspace.ID, store.ContactFilter{UUIDs: []string{uuid}})
	if err != nil || len(ids) != 1 {
		t.Fatalf("contact %s: %v %v", uuid, ids, err)
	}
	return ids[0]
}

// fires checks the contact's pending campaign fires, as "<event id>@<time>" (any version).
func (rs *reschedSetup) fires(t *testing.T, uuid string, want ...string) {
	t.Helper()
	all, err := rs.rt.Store.ListFires(context.Background(), rs.contactID(t, uuid))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range all {
		if f.Type == store.FireCampaign {
			ev, _, _ := strings.Cut(f.Scope, ":")
			got = append(got, ev+"@"+f.FireOn.UTC().Format(time.RFC3339))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("campaign fires %v, want %v", got, want)
	}
}

func at(event int64, on time.Time) string {
	return strconv.FormatInt(event, 10) + "@" + on.UTC().Format(time.RFC3339)
}

// groupID is the ID of the group with that UUID.
func (rs *reschedSetup) groupID(t *testing.T, uuid string) int64 {
	t.Helper()
	w, err := rs.rt.Workspace(context.Background(), rs.s.Workspace.ID)
	if err != nil || w.Group(uuid) == nil {
		t.Fatalf("group %s: %v", uuid, err)
	}
	return w.Group(uuid).ID
}

// TestCampaignReschedulingOverAPI: every change the API makes to a contact moves its
// campaign fires — creating it in the group, changing its date, setting its groups, the add
// and remove actions, blocking and unblocking — as do a smart group it joins at creation or by
// an update, a change of that group's query and a deleted field.
func TestCampaignReschedulingOverAPI(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		rs := newReschedSetup(t, backend)
		c, ctx, ws := rs.c, context.Background(), rs.s.Workspace.ID
		created := reschedT0.Add(2 * time.Hour)
		day := func(d int) time.Time { return time.Date(2026, 6, d, 8, 0, 0, 0, time.UTC) }

		// created in the group: both events are scheduled with the insert
		a := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"urns": []string{"tel:+254700000301"},
			"groups": []string{rs.quarantine}, "fields": map[string]any{"qs": "2026-06-10T08:00:00Z"}}, 201, nil))["uuid"].(string)
		rs.fires(t, a, at(rs.onQS, day(11)), at(rs.onCreated, created))
		b := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"urns": []string{"tel:+254700000302"},
			"fields": map[string]any{"qs": "2026-06-10T08:00:00Z"}}, 201, nil))["uuid"].(string)
		rs.fires(t, b)

		// its date changes: only the event on that date moves
		c.expect("POST", "/api/v2/contacts.json?uuid="+a, map[string]any{"fields": map[string]any{"qs": "2026-06-12T08:00:00Z"}}, 200, nil)
		rs.fires(t, a, at(rs.onQS, day(13)), at(rs.onCreated, created))
		c.expect("POST", "/api/v2/contacts.json?uuid="+a, map[string]any{"fields": map[string]any{"qs": nil}}, 200, nil)
		rs.fires(t, a, at(rs.onCreated, created))
		c.expect("POST", "/api/v2/contacts.json?uuid="+a, map[string]any{"fields": map[string]any{"qs": "2026-06-12T08:00:00Z"}}, 200, nil)

		// groups set by an update, then the add and remove actions
		c.expect("POST", "/api/v2/contacts.json?uuid="+a, map[string]any{"groups": []string{}}, 200, nil)
		rs.fires(t, a)
		c.expect("POST", "/api/v2/contacts.json?uuid="+a, map[string]any{"groups": []string{"Quarantine"}}, 200, nil)
		rs.fires(t, a, at(rs.onQS, day(13)), at(rs.onCreated, created))
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{a}, "action": "remove", "group": "Quarantine"}, 204, nil)
		rs.fires(t, a)
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{a, b}, "action": "add", "group": "Quarantine"}, 204, nil)
		rs.fires(t, a, at(rs.onQS, day(13)), at(rs.onCreated, created))
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created))

		// blocked contacts lose their fires (and their manual groups); unblocked and added back,
		// they are scheduled again
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{b}, "action": "block"}, 204, nil)
		rs.fires(t, b)
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{b}, "action": "unblock"}, 204, nil)
		c.expect("POST", "/api/v2/contact_actions.json", map[string]any{"contacts": []string{b}, "action": "add", "group": "Quarantine"}, 204, nil)
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created))

		// a smart group with a campaign: joined by an update and at creation
		high := &store.Group{WorkspaceID: ws, Name: "High risk", Query: `risk = "high"`}
		if err := rs.rt.SaveGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "R", "group": "High risk"}, 201, nil)
		onRisk := rs.event(t, "R", "qs", 2, "days")
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created))
		c.expect("POST", "/api/v2/contacts.json?uuid="+b, map[string]any{"fields": map[string]any{"risk": "high"}}, 200, nil)
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created), at(onRisk, day(12)))
		d := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"urns": []string{"tel:+254700000303"},
			"fields": map[string]any{"risk": "high", "qs": "2026-06-20T08:00:00Z"}}, 201, nil))
		if g := list(d["groups"]); len(g) != 1 || obj(g[0])["name"] != "High risk" {
			t.Fatalf("smart groups at creation: %v", d["groups"])
		}
		rs.fires(t, d["uuid"].(string), at(onRisk, day(22)))

		// the query changes: the members it loses lose their fires in the same transaction
		high.Query = `risk = "low"`
		if err := rs.rt.SaveGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created))
		rs.fires(t, d["uuid"].(string))
		high.Query = `risk = "high"`
		if err := rs.rt.SaveGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, b, at(rs.onQS, day(11)), at(rs.onCreated, created), at(onRisk, day(12)))
		rs.fires(t, d["uuid"].(string), at(onRisk, day(22)))

		// the field is deleted: its events go with their fires
		if err := rs.rt.DeleteField(ctx, ws, "qs"); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, a, at(rs.onCreated, created))
		rs.fires(t, b, at(rs.onCreated, created))
		rs.fires(t, d["uuid"].(string))
		if got := list(obj(c.expect("GET", "/api/v2/campaign_events.json", nil, 200, nil))["results"]); len(got) != 1 {
			t.Fatalf("events left: %v", got)
		}
	})
}

// failCampaignFires makes the database refuse to insert (or, with onDelete, to delete)
// campaign fires, as a crash or a fault between a change and its fires would: the trigger is
// the test's way into the middle of the transaction.
func failCampaignFires(t *testing.T, s *Server, backend string, onDelete bool) (undo func()) {
	t.Helper()
	st, ok := s.Srv.Runtime.Store.(*sqlstore.Store)
	if !ok {
		t.Fatalf("store is %T", s.Srv.Runtime.Store)
	}
	op, row := "INSERT", "NEW"
	if onDelete {
		op, row = "DELETE", "OLD"
	}
	var stmts []string
	if backend == "postgres" {
		stmts = []string{
			`CREATE OR REPLACE FUNCTION fail_campaign_fire() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'injected fault: campaign fire'; END $$`,
			`CREATE TRIGGER fail_campaign_fires BEFORE ` + op + ` ON contact_fires FOR EACH ROW WHEN (` + row + `.type = 'C')
				EXECUTE FUNCTION fail_campaign_fire()`,
		}
	} else {
		stmts = []string{`CREATE TRIGGER fail_campaign_fires BEFORE ` + op + ` ON contact_fires WHEN ` + row + `.type = 'C'
			BEGIN SELECT RAISE(ABORT, 'injected fault: campaign fire'); END`}
	}
	for _, q := range stmts {
		if _, err := st.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		q := `DROP TRIGGER fail_campaign_fires`
		if backend == "postgres" {
			q += ` ON contact_fires`
		}
		if _, err := st.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCampaignReschedulingAtomic: when writing the fires fails inside the transaction, the
// change that caused them is rolled back with them — a contact created into a campaign's
// group, members added to or removed from a manual group, a smart group's re-evaluation, a
// field's deletion, an event created or edited, a campaign moved, archived or restored — so
// nothing is ever left changed but unscheduled.
func TestCampaignReschedulingAtomic(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		rs := newReschedSetup(t, backend)
		c, ctx, ws, rt := rs.c, context.Background(), rs.s.Workspace.ID, rs.rt
		created := reschedT0.Add(2 * time.Hour)
		e := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"urns": []string{"tel:+254700000311"},
			"fields": map[string]any{"qs": "2026-06-10T08:00:00Z", "risk": "high"}}, 201, nil))["uuid"].(string)
		eid := rs.contactID(t, e)
		groupsOf := func(uuid string) []any {
			t.Helper()
			r := list(obj(c.expect("GET", "/api/v2/contacts.json?uuid="+uuid, nil, 200, nil))["results"])
			if len(r) != 1 {
				t.Fatalf("contact %s: %v", uuid, r)
			}
			return list(obj(r[0])["groups"])
		}
		high := &store.Group{WorkspaceID: ws, Name: "High risk", Query: `risk = "low"`}
		if err := rt.SaveGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "R", "group": "High risk"}, 201, nil)
		onRisk := rs.event(t, "R", "created_on", 3, "hours")

		undo := failCampaignFires(t, rs.s, backend, false)
		// a contact created into the group: refused whole
		if code := rawStatus(t, rs.s, c.token, "POST", "/api/v2/contacts.json",
			`{"urns": ["tel:+254700000312"], "groups": ["`+rs.quarantine+`"]}`); code != 500 {
			t.Fatalf("create with unwritable fires: %d", code)
		}
		c.expect("GET", "/api/v2/contacts.json?urn=tel:%2B254700000312", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})
		// manual membership: not added
		if err := rt.AddGroupMembers(ctx, ws, rs.groupID(t, rs.quarantine), []int64{eid}); err == nil {
			t.Fatal("adding members whose fires cannot be written succeeded")
		}
		if g := groupsOf(e); len(g) != 0 {
			t.Fatalf("membership written without its fires: %v", g)
		}
		// a smart group's re-evaluation: its members stay as they were
		high.Query = `risk = "high"`
		if err := rt.SaveGroup(ctx, high); err == nil {
			t.Fatal("re-evaluating a group whose fires cannot be written succeeded")
		}
		if g := groupsOf(e); len(g) != 0 {
			t.Fatalf("smart membership written without its fires: %v", g)
		}
		rs.fires(t, e)
		undo()

		// the fault gone, the same changes schedule
		if err := rt.PopulateSmartGroup(ctx, high); err != nil {
			t.Fatal(err)
		}
		if err := rt.AddGroupMembers(ctx, ws, rs.groupID(t, rs.quarantine), []int64{eid}); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, e, at(rs.onQS, time.Date(2026, 6, 11, 8, 0, 0, 0, time.UTC)), at(rs.onCreated, created), at(onRisk, reschedT0.Add(3*time.Hour)))

		// now deleting campaign fires fails: leaving the group and deleting the field are refused
		undo = failCampaignFires(t, rs.s, backend, true)
		if err := rt.RemoveGroupMembers(ctx, ws, rs.groupID(t, rs.quarantine), []int64{eid}); err == nil {
			t.Fatal("removing members whose fires cannot be deleted succeeded")
		}
		if g := groupsOf(e); len(g) != 2 {
			t.Fatalf("membership removed without its fires: %v", g)
		}
		if err := rt.DeleteField(ctx, ws, "qs"); err == nil {
			t.Fatal("deleting a field whose events' fires cannot be deleted succeeded")
		}
		if got := list(obj(c.expect("GET", "/api/v2/fields.json?key=qs", nil, 200, nil))["results"]); len(got) != 1 {
			t.Fatalf("field deleted without its events: %v", got)
		}
		if got := list(obj(c.expect("GET", "/api/v2/campaign_events.json", nil, 200, nil))["results"]); len(got) != 3 {
			t.Fatalf("events: %v", got)
		}
		rs.fires(t, e, at(rs.onQS, time.Date(2026, 6, 11, 8, 0, 0, 0, time.UTC)), at(rs.onCreated, created), at(onRisk, reschedT0.Add(3*time.Hour)))
		if _, err := rt.ArchiveCampaign(ctx, ws, rs.camp, true); err == nil {
			t.Fatal("archiving a campaign whose fires cannot be deleted succeeded")
		}
		campaign := func() map[string]any {
			t.Helper()
			return obj(list(obj(c.expect("GET", "/api/v2/campaigns.json?uuid="+rs.camp, nil, 200, nil))["results"])[0])
		}
		if x := campaign(); x["archived"] != false {
			t.Fatalf("archived without its fires: %v", x)
		}
		undo()

		// inserting fires fails again: events made or edited, a campaign moved to another group
		// or restored are refused whole
		undo = failCampaignFires(t, rs.s, backend, false)
		if code := rawStatus(t, rs.s, c.token, "POST", "/api/v2/campaign_events.json",
			`{"campaign": "`+rs.camp+`", "relative_to": "created_on", "offset": 5, "unit": "hours", "delivery_hour": -1, "message": "x"}`); code != 500 {
			t.Fatalf("new event with unwritable fires: %d", code)
		}
		if got := list(obj(c.expect("GET", "/api/v2/campaign_events.json", nil, 200, nil))["results"]); len(got) != 3 {
			t.Fatalf("event created without its fires: %d", len(got))
		}
		if code := rawStatus(t, rs.s, c.token, "POST", "/api/v2/campaign_events.json?uuid="+rs.events[rs.onCreated],
			`{"campaign": "`+rs.camp+`", "relative_to": "created_on", "offset": 4, "unit": "hours", "delivery_hour": -1, "message": "x"}`); code != 500 {
			t.Fatalf("edited event with unwritable fires: %d", code)
		}
		if x := obj(list(obj(c.expect("GET", "/api/v2/campaign_events.json?uuid="+rs.events[rs.onCreated], nil, 200, nil))["results"])[0]); x["offset"] != float64(2) {
			t.Fatalf("event edited without its fires: %v", x)
		}
		if code := rawStatus(t, rs.s, c.token, "POST", "/api/v2/campaigns.json?uuid="+rs.camp, `{"name": "Q", "group": "High risk"}`); code != 500 {
			t.Fatalf("campaign moved with unwritable fires: %d", code)
		}
		if x := campaign(); obj(x["group"])["uuid"] != rs.quarantine {
			t.Fatalf("campaign moved without its fires: %v", x)
		}
		rs.fires(t, e, at(rs.onQS, time.Date(2026, 6, 11, 8, 0, 0, 0, time.UTC)), at(rs.onCreated, created), at(onRisk, reschedT0.Add(3*time.Hour)))
		if _, err := rt.ArchiveCampaign(ctx, ws, rs.camp, true); err != nil {
			t.Fatal(err) // archiving only deletes fires
		}
		if _, err := rt.ArchiveCampaign(ctx, ws, rs.camp, false); err == nil {
			t.Fatal("restoring a campaign whose fires cannot be written succeeded")
		}
		// archived campaigns are not listed
		if got := list(obj(c.expect("GET", "/api/v2/campaigns.json?uuid="+rs.camp, nil, 200, nil))["results"]); len(got) != 0 {
			t.Fatalf("restored without its fires: %v", got)
		}
		rs.fires(t, e, at(onRisk, reschedT0.Add(3*time.Hour)))
		undo()
		if _, err := rt.ArchiveCampaign(ctx, ws, rs.camp, false); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, e, at(rs.onQS, time.Date(2026, 6, 11, 8, 0, 0, 0, time.UTC)), at(rs.onCreated, created), at(onRisk, reschedT0.Add(3*time.Hour)))
		if err := rt.RemoveGroupMembers(ctx, ws, rs.groupID(t, rs.quarantine), []int64{eid}); err != nil {
			t.Fatal(err)
		}
		rs.fires(t, e, at(onRisk, reschedT0.Add(3*time.Hour)))
	})
}

// rawStatus sends a request and returns only its status (a server error's body is not JSON).
func rawStatus(t *testing.T, s *Server, token, method, path, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, s.Base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
