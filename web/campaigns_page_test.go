package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/store"
)

// TestCampaignsPage shows a campaign with its flow event.
func TestCampaignsPage(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		st := s.Srv.Runtime.Store
		g := &store.Group{WorkspaceID: s.Workspace.ID, UUID: testserver.UUID(), Name: "Mothers", Status: "ready"}
		if err := st.SaveGroup(t.Context(), g); err != nil {
			t.Fatal(err)
		}
		c := &store.Campaign{WorkspaceID: s.Workspace.ID, UUID: testserver.UUID(), Name: "Antenatal", GroupID: g.ID}
		if err := st.SaveCampaign(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		e := &store.CampaignEvent{WorkspaceID: s.Workspace.ID, CampaignID: c.ID, UUID: testserver.UUID(), EventType: store.CampaignEventFlow,
			RelativeTo: store.CampaignRelativeCreatedOn, Offset: 3, Unit: store.CampaignUnitDays, DeliveryHour: 9,
			StartMode: store.CampaignStartSkip, FlowUUID: f.UUID, Status: store.CampaignEventReady}
		if err := st.SaveCampaignEvent(t.Context(), e); err != nil {
			t.Fatal(err)
		}
		se := newSession(t, s)
		if code := se.signIn(s.Admin); code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", code)
		}
		code, body := se.get("/campaign/")
		if code != 200 || !strings.Contains(body, "Antenatal") || !strings.Contains(body, "Mothers") || !strings.Contains(body, "starts <a href=\"/flow/editor/"+f.UUID+"/\">Register</a>") {
			t.Fatalf("campaigns: %d %s", code, body[strings.Index(body, "<main>"):])
		}
	})
}

// TestCampaignNextFires shows a campaign's and an event's pending fires, soonest first in the
// workspace's timezone, a page at a time, with the count pending; bad addresses get 4xx.
func TestCampaignNextFires(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, _, _ := setup(t, backend, true)
		const members = listPage + 3
		c, e := campaignWithFires(t, s, f, members)
		se := newSession(t, s)
		if code := se.signIn(s.Admin); code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", code)
		}
		if code, body := se.get("/campaign/"); code != 200 || !strings.Contains(body, `<td class="pending">53</td>`) || !strings.Contains(body, "/campaign/read/"+c.UUID+"/") {
			t.Fatalf("campaigns: %d", code)
		}
		for _, path := range []string{"/campaign/read/" + c.UUID + "/", "/campaign/event/" + e.UUID + "/"} {
			code, body := se.get(path)
			if code != 200 || !strings.Contains(body, "(53 pending)") || strings.Count(body, "09:00 IST") != listPage || !strings.Contains(body, "Asia/Kolkata") {
				t.Fatalf("%s: %d %d fires at 09:00 IST", path, code, strings.Count(body, "09:00 IST"))
			}
			// soonest first: the first member's fire, then the second's
			first, second := strings.Index(body, "Mother 00"), strings.Index(body, "Mother 01")
			if first < 0 || second < first || strings.Contains(body, "Mother 50") {
				t.Fatalf("%s: fires out of order or not paged", path)
			}
			next := regexp.MustCompile(`id="later" href="\?after=([0-9.]+)"`).FindStringSubmatch(body)
			if next == nil {
				t.Fatalf("%s: no Later link", path)
			}
			_, body = se.get(path + "?after=" + next[1])
			if strings.Count(body, "09:00 IST") != 3 || !strings.Contains(body, "Mother 52") || strings.Contains(body, "Mother 49") || strings.Contains(body, `id="later"`) {
				t.Fatalf("%s: second page wrong", path)
			}
		}
		for path, want := range map[string]int{
			"/campaign/read/" + testserver.UUID() + "/":  404,
			"/campaign/event/" + testserver.UUID() + "/": 404,
			"/campaign/read/" + c.UUID + "/?after=soon":  400,
			"/campaign/event/" + e.UUID + "/?after=1.0":  400,
			"/campaign/event/" + e.UUID + "/?after=x.1":  400,
		} {
			if code, _ := se.get(path); code != want {
				t.Fatalf("%s: %d, want %d", path, code, want)
			}
		}
	})
}

// campaignWithFires makes a campaign for a group of members contacts, created a day apart, with
// an event 3 days after created_on at 09:00 starting f, in a workspace on Asia/Kolkata time,
// and waits until its fires are scheduled.
func campaignWithFires(t *testing.T, s *testserver.Server, f *testserver.Flow, members int) (*store.Campaign, *store.CampaignEvent) {
	t.Helper()
	ctx := t.Context()
	rt := s.Srv.Runtime
	st := rt.Store
	ws := *s.Workspace
	ws.Timezone = "Asia/Kolkata"
	if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
		t.Fatal(err)
	}
	g := &store.Group{WorkspaceID: ws.ID, UUID: testserver.UUID(), Name: "Mothers", Status: "ready"}
	if err := st.SaveGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	base := time.Now().UTC().Truncate(time.Minute)
	for i := range members {
		c := &store.Contact{WorkspaceID: ws.ID, UUID: testserver.UUID(), Name: fmt.Sprintf("Mother %02d", i), Status: "active",
			Groups: []int64{g.ID}, CreatedOn: base.Add(time.Duration(i) * 24 * time.Hour), ModifiedOn: base}
		if err := st.CreateContact(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	rt.Invalidate(ws.ID)
	c, err := rt.CreateCampaign(ctx, ws.ID, "Antenatal", g.UUID)
	if err != nil {
		t.Fatal(err)
	}
	e := &store.CampaignEvent{EventType: store.CampaignEventFlow, RelativeTo: store.CampaignRelativeCreatedOn, Offset: 3,
		Unit: store.CampaignUnitDays, DeliveryHour: 9, StartMode: store.CampaignStartSkip, FlowUUID: f.UUID}
	if err := rt.SaveCampaignEvent(ctx, ws.ID, c.UUID, e); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := st.CountCampaignFires(ctx, ws.ID, []string{e.Scope()})
		if err == nil && n[e.Scope()] == int64(members) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fires scheduled: %v %v", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c, e
}

// listPage is the console's page size (web.listPageSize).
const listPage = 50
