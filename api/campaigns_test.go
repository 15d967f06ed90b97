package api_test

import (
	"context"
	"testing"

	. "careflow/internal/testserver"
	"careflow/store"
)

// TestCampaignsAndEvents: campaigns and their events over the API — create, list with
// filters, update (which reschedules), delete — and a matrix of bad inputs that answer 400
// naming the field while nothing is written or scheduled.
func TestCampaignsAndEvents(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		ctx := context.Background()
		st := s.Srv.Runtime.Store
		primary := "eng"
		if len(s.Workspace.Languages) > 0 {
			primary = s.Workspace.Languages[0]
		}

		c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Registered", "type": "datetime"}, 201, nil)
		c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Nickname", "type": "text"}, 201, nil)
		reporters := obj(c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Reporters"}, 201, nil))
		others := obj(c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Others"}, 201, nil))
		contact := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{
			"urns": []string{"tel:+254700000101"}, "groups": []string{reporters["uuid"].(string)},
			"fields": map[string]any{"registered": "2040-01-01T10:00:00Z"},
		}, 201, nil))
		ids, err := st.FindContactIDs(ctx, s.Workspace.ID, store.ContactFilter{UUIDs: []string{contact["uuid"].(string)}})
		if err != nil || len(ids) != 1 {
			t.Fatalf("contact id: %v %v", ids, err)
		}
		fires := func() int {
			t.Helper()
			all, err := st.ListFires(ctx, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range all {
				if f.Type == store.FireCampaign {
					n++
				}
			}
			return n
		}
		flowUUID := UUID()
		s.Import(Export(&Flow{UUID: flowUUID, Name: "Survey", Nodes: []*Node{{Actions: []map[string]any{Say("Hi")}}}}))

		// Campaigns.
		c.expect("GET", "/api/v2/campaigns.json", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})
		camp := obj(c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "Reminders", "group": "reporters"}, 201, nil))
		hasKeys(t, "campaign", camp, "uuid", "name", "archived", "group", "created_on")
		isDate(t, "created_on", camp["created_on"])
		if g := obj(camp["group"]); g["uuid"] != reporters["uuid"] || g["name"] != "Reporters" || camp["archived"] != false {
			t.Fatalf("campaign: %v", camp)
		}
		campUUID := camp["uuid"].(string)
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "reminders", "group": "Reporters"}, 400, map[string][]string{"name": {"Must be unique."}})
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "X", "group": "Nobody"}, 400, map[string][]string{"group": {"No such object: Nobody"}})
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "X", "group": 5}, 400, map[string][]string{"group": {"Not a valid string."}})
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "X", "group": "Reporters", "color": "red"}, 400, map[string][]string{"color": {"This field is not allowed."}})
		c.expect("POST", "/api/v2/campaigns.json", map[string]any{"group": "Reporters"}, 400, map[string][]string{"name": {"This field is required."}})
		c.expect("POST", "/api/v2/campaigns.json?uuid="+UUID(), map[string]any{"name": "X", "group": "Reporters"}, 404, nil)
		other := obj(c.expect("POST", "/api/v2/campaigns.json", map[string]any{"name": "Other", "group": others["uuid"]}, 201, nil))
		c.expect("POST", "/api/v2/campaigns.json?uuid="+campUUID, map[string]any{"name": "Reminders 2", "group": reporters["uuid"]}, 200, nil)
		if got := list(obj(c.expect("GET", "/api/v2/campaigns.json?uuid="+campUUID, nil, 200, nil))["results"]); len(got) != 1 || obj(got[0])["name"] != "Reminders 2" {
			t.Fatalf("campaign by uuid: %v", got)
		}
		if got := list(obj(c.expect("GET", "/api/v2/campaigns.json", nil, 200, nil))["results"]); len(got) != 2 || obj(got[0])["uuid"] != other["uuid"] {
			t.Fatalf("campaigns newest first: %v", got)
		}

		// Events: a message event on a field and a flow event on created_on.
		msgEvent := obj(c.expect("POST", "/api/v2/campaign_events.json", map[string]any{
			"campaign": "Reminders 2", "relative_to": "registered", "offset": 1, "unit": "days", "delivery_hour": 9,
			"message": "Don't forget",
		}, 201, nil))
		hasKeys(t, "event", msgEvent, "uuid", "campaign", "relative_to", "offset", "unit", "delivery_hour", "flow", "message", "start_mode", "created_on")
		want := map[string]any{
			"uuid": msgEvent["uuid"], "campaign": map[string]any{"name": "Reminders 2", "uuid": campUUID},
			"created_on":    msgEvent["created_on"],
			"delivery_hour": 9, "flow": nil, "message": map[string]any{primary: "Don't forget"}, "offset": 1,
			"relative_to": map[string]any{"key": "registered", "label": "Registered", "name": "Registered"},
			"start_mode":  "interrupt", "unit": "days",
		}
		c.expect("GET", "/api/v2/campaign_events.json?uuid="+msgEvent["uuid"].(string), nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{want}})
		if n := fires(); n != 1 {
			t.Fatalf("fires after the message event: %d", n)
		}
		flowEvent := obj(c.expect("POST", "/api/v2/campaign_events.json", map[string]any{
			"campaign": campUUID, "relative_to": "created_on", "offset": -2, "unit": "weeks", "delivery_hour": -1, "flow": flowUUID,
		}, 201, nil))
		if f := obj(flowEvent["flow"]); f["uuid"] != flowUUID || f["name"] != "Survey" || flowEvent["message"] != nil || flowEvent["unit"] != "weeks" {
			t.Fatalf("flow event: %v", flowEvent)
		}
		for q, n := range map[string]int{"": 2, "?campaign=reminders+2": 2, "?campaign=" + campUUID: 2, "?campaign=Other": 0, "?campaign=Nope": 0, "?uuid=" + flowEvent["uuid"].(string): 1} {
			if got := list(obj(c.expect("GET", "/api/v2/campaign_events.json"+q, nil, 200, nil))["results"]); len(got) != n {
				t.Fatalf("events%s: %d, want %d", q, len(got), n)
			}
		}
		msgURL := "/api/v2/campaign_events.json?uuid=" + msgEvent["uuid"].(string)
		updated := obj(c.expect("POST", msgURL, map[string]any{
			"campaign": campUUID, "relative_to": "registered", "offset": 3, "unit": "hours", "delivery_hour": -1, "message": map[string]string{primary: "Soon"},
		}, 200, nil))
		if updated["uuid"] != msgEvent["uuid"] || updated["offset"] != float64(3) || updated["unit"] != "hours" || obj(updated["message"])[primary] != "Soon" {
			t.Fatalf("updated event: %v", updated)
		}
		if n := fires(); n != 1 {
			t.Fatalf("fires after the update: %d", n)
		}

		// Bad inputs: 400 naming the field; nothing written, nothing scheduled.
		good := func(over map[string]any) map[string]any {
			m := map[string]any{"campaign": campUUID, "relative_to": "registered", "offset": 1, "unit": "days", "delivery_hour": 9, "message": "Hello"}
			for k, v := range over {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
		ghost := UUID()
		bad := []struct {
			body map[string]any
			want any
		}{
			{good(map[string]any{"relative_to": "nickname"}), map[string][]string{"relative_to": {`Field "nickname" is not a datetime field`}}},
			{good(map[string]any{"relative_to": "nope"}), map[string][]string{"relative_to": {"No such object: nope"}}},
			{good(map[string]any{"offset": 4000}), map[string][]string{"offset": {"Must be between -3650 and 3650 for this unit"}}},
			{good(map[string]any{"offset": 99999999999}), map[string][]string{"offset": {"A valid integer is required."}}},
			{good(map[string]any{"offset": 1.5}), map[string][]string{"offset": {"A valid integer is required."}}},
			{good(map[string]any{"offset": "soon"}), map[string][]string{"offset": {"A valid integer is required."}}},
			{good(map[string]any{"delivery_hour": 24}), map[string][]string{"delivery_hour": {"Must be between -1 and 23"}}},
			{good(map[string]any{"delivery_hour": -2}), map[string][]string{"delivery_hour": {"Must be between -1 and 23"}}},
			{good(map[string]any{"delivery_hour": nil}), map[string][]string{"delivery_hour": {"This field is required."}}},
			{good(map[string]any{"unit": "fortnights"}), map[string][]string{"unit": {`"fortnights" is not a valid choice.`}}},
			{good(map[string]any{"campaign": "Nope"}), map[string][]string{"campaign": {"No such object: Nope"}}},
			{good(map[string]any{"flow": flowUUID}), map[string][]string{"non_field_errors": {"Flow or a message text required."}}},
			{good(map[string]any{"message": nil}), map[string][]string{"non_field_errors": {"Flow or a message text required."}}},
			{good(map[string]any{"message": nil, "flow": ghost}), map[string][]string{"flow": {"No such object: " + ghost}}},
			{good(map[string]any{"message": map[string]string{"zzz": "Hi"}}), map[string][]string{"message": {"Message text in default flow language is required."}}},
			{good(map[string]any{"message": 7}), map[string][]string{"message": {"Value must be a string or dict of strings."}}},
			{good(map[string]any{"start_mode": "skip"}), map[string][]string{"start_mode": {"This field is not allowed."}}},
		}
		for _, b := range bad {
			c.expect("POST", "/api/v2/campaign_events.json", b.body, 400, b.want)
		}
		// An update with a bad value leaves the event as it was; its campaign cannot change.
		c.expect("POST", msgURL, good(map[string]any{"delivery_hour": 30}), 400, map[string][]string{"delivery_hour": {"Must be between -1 and 23"}})
		c.expect("POST", msgURL, good(map[string]any{"campaign": other["uuid"]}), 400, map[string][]string{"campaign": {"Cannot change campaign for existing events"}})
		c.expect("POST", "/api/v2/campaign_events.json?uuid="+UUID(), good(nil), 404, nil)
		if got := obj(list(obj(c.expect("GET", msgURL, nil, 200, nil))["results"])[0]); got["offset"] != float64(3) || got["unit"] != "hours" {
			t.Fatalf("event after refused updates: %v", got)
		}
		if events, err := st.ListCampaignEvents(ctx, s.Workspace.ID, 0); err != nil || len(events) != 2 {
			t.Fatalf("stored events after bad inputs: %d %v", len(events), err)
		}
		if n := fires(); n != 1 {
			t.Fatalf("fires after bad inputs: %d", n)
		}

		// Delete, then move the campaign to a group the contact is not in.
		c.expect("DELETE", "/api/v2/campaign_events.json", nil, 400, map[string]string{"detail": "URL must contain one of the following parameters: uuid"})
		c.expect("DELETE", msgURL, nil, 204, nil)
		c.expect("DELETE", msgURL, nil, 404, nil)
		if n := fires(); n != 0 {
			t.Fatalf("fires after delete: %d", n)
		}
		if got := list(obj(c.expect("GET", "/api/v2/campaign_events.json", nil, 200, nil))["results"]); len(got) != 1 || obj(got[0])["uuid"] != flowEvent["uuid"] {
			t.Fatalf("events after delete: %v", got)
		}
		c.expect("POST", "/api/v2/campaign_events.json", good(map[string]any{"offset": 5}), 201, nil)
		if n := fires(); n != 1 {
			t.Fatalf("fires before the move: %d", n)
		}
		moved := obj(c.expect("POST", "/api/v2/campaigns.json?uuid="+campUUID, map[string]any{"name": "Reminders 2", "group": "Others"}, 200, nil))
		if obj(moved["group"])["name"] != "Others" {
			t.Fatalf("moved campaign: %v", moved)
		}
		if n := fires(); n != 0 {
			t.Fatalf("fires after moving the campaign off the contact's group: %d", n)
		}

		// The export carries the campaign in RapidPro's shape, with the flow its flow event
		// starts; asked for nothing, it carries nothing.
		file := obj(c.expect("GET", "/api/v2/definitions.json?dependencies=flows&campaign="+campUUID, nil, 200, nil))
		camps := list(file["campaigns"])
		if len(camps) != 1 || len(list(file["flows"])) != 1 || obj(list(file["flows"])[0])["uuid"] != flowUUID {
			t.Fatalf("export: %v", file)
		}
		ec := obj(camps[0])
		if ec["uuid"] != campUUID || ec["name"] != "Reminders 2" || obj(ec["group"])["name"] != "Others" || len(list(ec["events"])) != 2 {
			t.Fatalf("exported campaign: %v", ec)
		}
		for _, ev := range list(ec["events"]) {
			e := obj(ev)
			switch e["event_type"] {
			case "F":
				if obj(e["flow"])["uuid"] != flowUUID || e["unit"] != "W" || e["offset"] != float64(-2) || obj(e["relative_to"])["key"] != "created_on" {
					t.Fatalf("exported flow event: %v", e)
				}
			case "M":
				if obj(e["message"])[primary] != "Hello" || e["base_language"] != primary || obj(e["relative_to"])["label"] != "Registered" || e["start_mode"] != "I" {
					t.Fatalf("exported message event: %v", e)
				}
			default:
				t.Fatalf("exported event: %v", e)
			}
		}
		if n := len(list(obj(c.expect("GET", "/api/v2/definitions.json", nil, 200, nil))["campaigns"])); n != 0 {
			t.Fatalf("export of nothing has %d campaigns", n)
		}

		// Archived campaigns and their events are not served.
		if _, err := s.Srv.Runtime.ArchiveCampaign(ctx, s.Workspace.ID, campUUID, true); err != nil {
			t.Fatal(err)
		}
		if got := list(obj(c.expect("GET", "/api/v2/campaigns.json", nil, 200, nil))["results"]); len(got) != 1 {
			t.Fatalf("campaigns after archiving: %v", got)
		}
		c.expect("GET", "/api/v2/campaign_events.json", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})
		c.expect("POST", "/api/v2/campaigns.json?uuid="+campUUID, map[string]any{"name": "Again", "group": "Others"}, 404, nil)
	})
}
