package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"careflow/store"
)

// testUUIDColumns writes real UUIDs (which a backend may keep compact) and upper-case ones
// (which it must keep as text) everywhere, and finds and reads them back exactly.
func testUUIDColumns(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	const (
		contactUUID = "0190f5e0-1111-7000-8000-000000000001"
		session     = "0190f5e0-2222-7000-8000-000000000002"
		sprint      = "0190f5e0-3333-7000-8000-000000000003"
		run1, run2  = "0190f5e0-4444-7000-8000-000000000004", "0190f5e0-4444-7000-8000-000000000005"
		flow        = "5c3fc5a1-05b4-4a52-9d8c-8a3f0e7f1b2c"
		channel     = "0D1E2F3A-4B5C-4D6E-8F70-8192A3B4C5D6"
	)
	c := &store.Contact{WorkspaceID: w.ID, UUID: contactUUID, URNs: []store.ContactURN{{Identity: "tel:+1", ChannelUUID: channel}}}
	ok(t, s.CreateContact(ctx(), c, nil))
	rs, err := s.ReceiveIncoming(ctx(), []*store.Incoming{{WorkspaceID: w.ID, URN: store.NewContactURN{Identity: "tel:+1"},
		Msg: &store.Msg{Text: "hi", ChannelUUID: channel}, Task: store.ContactTask{Type: store.TaskMsg}}}, t0)
	ok(t, err)
	work, err := s.ClaimContacts(ctx(), "n", t0, t0.Add(time.Minute), 1)
	ok(t, err)
	if len(work) != 1 || work[0].Contact.UUID != contactUUID || work[0].Contact.URNs[0].ChannelUUID != channel {
		t.Fatalf("claim: %+v", work)
	}
	cu := *work[0].Contact
	cu.CurrentSessionUUID, cu.CurrentFlowUUID = session, flow
	mustCommit(t, s, "n", &store.Scene{WorkspaceID: w.ID, ContactID: c.ID, Contact: &store.ContactUpdate{Contact: &cu},
		Sessions: []*store.Session{{UUID: session, Status: "waiting", CurrentFlow: flow, LastSprintUUID: sprint, State: []byte("x")}},
		Runs: []*store.Run{{UUID: run1, SessionUUID: session, FlowUUID: flow, Status: "completed"},
			{UUID: run2, SessionUUID: session, FlowUUID: flow, Status: "waiting"}},
		MsgsHandled: []*store.Msg{{ID: rs[0].MsgID, FlowUUID: flow}},
		MsgsOut:     []*store.Msg{{UUID: sprint, URN: "tel:+1", ChannelUUID: channel, Text: "reply", FlowUUID: flow}},
		Fires:       []*store.Fire{{Type: store.FireExpire, SessionUUID: session, SprintUUID: sprint, FireOn: t0}},
		DoneTasks:   work[0].Tasks})

	if got, err := s.GetContactByUUID(ctx(), w.ID, contactUUID); err != nil || got.CurrentSessionUUID != session || got.CurrentFlowUUID != flow {
		t.Fatalf("contact: %+v %v", got, err)
	}
	if ids, _ := s.FindContactIDs(ctx(), w.ID, store.ContactFilter{UUIDs: []string{contactUUID}}); !slices.Equal(ids, []int64{c.ID}) {
		t.Fatalf("by uuid: %v", ids)
	}
	if ids, _ := s.FindContactIDs(ctx(), w.ID, store.ContactFilter{NotStartedFlow: flow}); len(ids) != 0 {
		t.Fatalf("not started: %v", ids)
	}
	ss, err := s.GetSession(ctx(), session)
	if err != nil || ss.UUID != session || ss.CurrentFlow != flow || ss.LastSprintUUID != sprint {
		t.Fatalf("session: %+v %v", ss, err)
	}
	runs, _ := s.ListRuns(ctx(), w.ID, store.RunQuery{FlowUUID: flow, BeforeID: run2})
	if len(runs) != 1 || runs[0].UUID != run1 || runs[0].SessionUUID != session || runs[0].FlowUUID != flow {
		t.Fatalf("runs: %+v", runs)
	}
	msgs, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{ChannelUUID: channel})
	if len(msgs) != 2 || msgs[0].UUID != sprint || msgs[0].ChannelUUID != channel || msgs[1].FlowUUID != flow {
		t.Fatalf("msgs: %+v", msgs)
	}
	if out, _ := s.ClaimOutgoing(ctx(), channel, "n", t0, t0.Add(time.Minute), 5); len(out) != 1 || out[0].FlowUUID != flow {
		t.Fatalf("outbox: %+v", out)
	}
	if fs, _ := s.ListFires(ctx(), c.ID); len(fs) != 1 || fs[0].SessionUUID != session || fs[0].SprintUUID != sprint {
		t.Fatalf("fires: %+v", fs)
	}
	if n, _ := s.FireDue(ctx(), t0, 10); n != 1 {
		t.Fatal("not fired")
	}
	work, _ = s.ClaimContacts(ctx(), "n", t0, t0.Add(time.Minute), 1)
	if len(work) != 1 || work[0].Session == nil || work[0].Session.UUID != session {
		t.Fatalf("waiting session: %+v", work)
	}
	var p map[string]any
	ok(t, json.Unmarshal(work[0].Tasks[0].Payload, &p))
	if p["session_uuid"] != session || p["sprint_uuid"] != sprint {
		t.Fatalf("payload: %v", p)
	}
}
