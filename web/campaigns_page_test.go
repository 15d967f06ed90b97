package web_test

import (
	"net/http"
	"strings"
	"testing"

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
