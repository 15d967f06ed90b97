package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"careflow/store"
)

func testChannels(t *testing.T, open Opener) {
	s := open(t)
	cs, ok := s.(store.ChannelStore)
	if !ok {
		t.Fatal("the store does not keep channel data")
	}
	ws := &store.Workspace{UUID: "6f1b2a44-0000-4000-8000-000000000001", Name: "chan", Timezone: "UTC"}
	if err := s.CreateWorkspace(ctx(), ws); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	in := &store.Incoming{WorkspaceID: ws.ID, URN: store.NewContactURN{Identity: "tel:+250788000001", ChannelUUID: "ch-1"},
		Msg: &store.Msg{UUID: "0190a000-0000-7000-8000-000000000001", WorkspaceID: ws.ID, ChannelUUID: "ch-1", Incoming: true,
			Text: "hi", ExternalID: "SM1", Status: store.MsgPending, CreatedOn: now},
		Task: store.ContactTask{WorkspaceID: ws.ID, Type: store.TaskMsg, CreatedOn: now}}
	if _, err := s.ReceiveIncoming(ctx(), []*store.Incoming{in}, now); err != nil {
		t.Fatal(err)
	}
	m, err := cs.GetMsgByUUID(ctx(), in.Msg.UUID)
	if err != nil || m.Text != "hi" {
		t.Fatalf("by uuid: %+v %v", m, err)
	}
	if m, err = cs.GetMsgByExternalID(ctx(), "ch-1", "SM1", true); err != nil || m.UUID != in.Msg.UUID {
		t.Fatalf("by external id: %+v %v", m, err)
	}
	for _, c := range []struct {
		ch, id   string
		incoming bool
	}{{"ch-2", "SM1", true}, {"ch-1", "SM1", false}, {"ch-1", "", true}} {
		if _, err := cs.GetMsgByExternalID(ctx(), c.ch, c.id, c.incoming); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%+v: want not found, got %v", c, err)
		}
	}
	if _, err := cs.GetMsgByUUID(ctx(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown uuid: %v", err)
	}

	// The budget of one second is shared: concurrent takers never get more than tps in all.
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := cs.TakeSendBudget(ctx(), "ch-1", 1000, 3, 10)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total != 10 {
		t.Errorf("granted %d in one second, want 10", total)
	}
	if n, _ := cs.TakeSendBudget(ctx(), "ch-1", 1001, 25, 10); n != 10 {
		t.Errorf("next second granted %d", n)
	}

	logs := []*store.ChannelLog{{WorkspaceID: ws.ID, ChannelUUID: "ch-1", Type: "msg_send", Method: "POST", URL: "http://x",
		StatusCode: 200, Request: "a", Response: "b", CreatedOn: now.Add(-48 * time.Hour)},
		{WorkspaceID: ws.ID, ChannelUUID: "ch-1", Type: "msg_receive", CreatedOn: now}}
	if err := cs.AddChannelLogs(ctx(), logs); err != nil || logs[1].ID == 0 {
		t.Fatal(err)
	}
	got, err := cs.ListChannelLogs(ctx(), "ch-1", 0, 10)
	if err != nil || len(got) != 2 || got[0].Type != "msg_receive" || got[1].Request != "a" {
		t.Fatalf("logs: %+v %v", got, err)
	}
	if got, _ = cs.ListChannelLogs(ctx(), "ch-1", logs[1].ID, 10); len(got) != 1 {
		t.Errorf("paged logs: %d", len(got))
	}
	if n, err := cs.PruneChannelLogs(ctx(), now.Add(-24*time.Hour)); err != nil || n != 1 {
		t.Errorf("pruned %d %v", n, err)
	}

	media := &store.ChannelMedia{WorkspaceID: ws.ID, ChannelUUID: "ch-1", ContentType: "image/png", Data: []byte{0, 1, 2}}
	if err := cs.SaveMedia(ctx(), media); err != nil {
		t.Fatal(err)
	}
	back, err := cs.GetMedia(ctx(), media.UUID)
	if err != nil || back.ContentType != "image/png" || len(back.Data) != 3 || back.Data[2] != 2 {
		t.Fatalf("media: %+v %v", back, err)
	}
}

func testGatewayRefs(t *testing.T, open Opener) {
	s := open(t).(store.SMSGatewayStore)
	now := time.Now()
	if ok, err := s.ClaimGatewayRef(ctx(), "gw-1", now); !ok || err != nil {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, err := s.ClaimGatewayRef(ctx(), "gw-1", now); ok || err != nil {
		t.Fatalf("second claim: %v %v", ok, err)
	}
	if err := s.ReleaseGatewayRef(ctx(), "gw-1"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ClaimGatewayRef(ctx(), "gw-1", now); !ok {
		t.Fatal("released ref not claimable")
	}
}
