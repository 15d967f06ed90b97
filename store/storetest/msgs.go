package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"careflow/store"
)

func testOutbox(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	c := mustContact(t, s, w.ID, "tel:+1")
	scene := &store.Scene{WorkspaceID: w.ID, ContactID: c.ID}
	for i := range 6 {
		ch := "ch1"
		if i == 5 {
			ch = "ch2"
		}
		scene.MsgsOut = append(scene.MsgsOut, &store.Msg{URN: "tel:+1", ChannelUUID: ch, Text: fmt.Sprint(i), HighPriority: i == 3,
			QuickReplies: []string{"yes", "no"}, Attachments: []string{"image/jpeg:http://x/a.jpg"}})
	}
	mustCommit(t, s, "", scene)
	ids := func(ms []*store.Msg) (out []int64) {
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	out := scene.MsgsOut
	got, err := s.ClaimOutgoing(ctx(), "ch1", "a", t0, t0.Add(time.Minute), 3)
	if err != nil || len(got) != 3 || got[0].ID != out[3].ID || got[1].ID != out[0].ID || got[2].ID != out[1].ID ||
		got[0].Status != store.MsgQueued || got[0].QuickReplies[1] != "no" || got[0].Incoming {
		t.Fatalf("claim a: %v %v", ids(got), err)
	}
	got2, _ := s.ClaimOutgoing(ctx(), "ch1", "b", t0, t0.Add(time.Minute), 10)
	if len(got2) != 2 || got2[0].ID != out[2].ID || got2[1].ID != out[4].ID {
		t.Fatalf("claim b: %v", ids(got2))
	}
	retry := t0.Add(10 * time.Minute)
	ok(t, s.UpdateMsgStatuses(ctx(), []store.MsgStatusUpdate{
		{ID: out[3].ID, Status: store.MsgWired, ExternalID: "x3", Now: t0},
		{ID: out[0].ID, Status: store.MsgErrored, FailedReason: "timeout", NextAttempt: &retry, Now: t0},
		{ID: out[1].ID, Status: store.MsgFailed, FailedReason: "error_limit", Now: t0},
	}))
	ok(t, s.UpdateMsgStatuses(ctx(), []store.MsgStatusUpdate{{ID: out[3].ID, Status: store.MsgDelivered, Now: t0.Add(time.Minute)}}))
	m, _ := s.GetMsg(ctx(), out[3].ID)
	if m.Status != store.MsgDelivered || m.ExternalID != "x3" || m.SentOn == nil || !m.SentOn.Equal(t0) {
		t.Fatalf("delivered: %+v", m)
	}
	m, _ = s.GetMsg(ctx(), out[0].ID)
	if m.Status != store.MsgErrored || m.ErrorCount != 1 || !m.NextAttempt.Equal(retry) || m.SentOn != nil {
		t.Fatalf("errored: %+v", m)
	}
	// The errored message comes back when due; its lease went with the update.
	if again, _ := s.ClaimOutgoing(ctx(), "ch1", "c", t0.Add(time.Minute), t0.Add(2*time.Minute), 10); len(again) != 0 {
		t.Fatalf("claimed early: %v", ids(again))
	}
	again, _ := s.ClaimOutgoing(ctx(), "ch1", "c", retry, retry.Add(time.Minute), 10)
	if len(again) != 3 || again[0].ID != out[0].ID {
		t.Fatalf("retry: %v", ids(again))
	}
	listed, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{ChannelUUID: "ch1", Statuses: []string{store.MsgErrored, store.MsgFailed}})
	if len(listed) != 2 || listed[0].ID != out[1].ID {
		t.Fatalf("list by status: %v", ids(listed))
	}
	page, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{BeforeID: out[3].ID, Limit: 2})
	if len(page) != 2 || page[0].ID != out[2].ID {
		t.Fatalf("page: %v", ids(page))
	}
}

// testOutboxExclusive has several senders drain one channel at once: each message is
// claimed once.
func testOutboxExclusive(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	c := mustContact(t, s, w.ID, "tel:+1")
	scene := &store.Scene{WorkspaceID: w.ID, ContactID: c.ID}
	for range 100 {
		scene.MsgsOut = append(scene.MsgsOut, &store.Msg{URN: "tel:+1", ChannelUUID: "ch1", Text: "x"})
	}
	mustCommit(t, s, "", scene)
	seen := map[int64]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ms, err := s.ClaimOutgoing(ctx(), "ch1", fmt.Sprint("n", i), t0, t0.Add(time.Minute), 9)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 100 {
		t.Fatalf("claimed %d of 100", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("msg %d claimed %d times", id, n)
		}
	}
}

func testHTTPLogsAndMsgQueries(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	logs := []*store.HTTPLog{
		{WorkspaceID: w.ID, Type: "webhook_called", FlowUUID: "f1", URL: "http://a", Method: "POST", StatusCode: 500, IsError: true, ElapsedMS: 12,
			Request: "POST / HTTP/1.1", Response: "HTTP/1.1 500", CreatedOn: t0},
		{WorkspaceID: w.ID, Type: "channel", ChannelUUID: "ch1", URL: "http://b", CreatedOn: t0.Add(time.Hour)},
		{WorkspaceID: w.ID, Type: "webhook_called", FlowUUID: "f2", URL: "http://c", CreatedOn: t0.Add(2 * time.Hour)},
	}
	ok(t, s.InsertHTTPLogs(ctx(), logs))
	other := mustWorkspace(t, s, "other")
	ok(t, s.InsertHTTPLogs(ctx(), []*store.HTTPLog{{WorkspaceID: other.ID, Type: "channel"}}))
	for name, c := range map[string]struct {
		q    store.HTTPLogQuery
		want []int64
	}{
		"all":     {store.HTTPLogQuery{}, []int64{logs[2].ID, logs[1].ID, logs[0].ID}},
		"type":    {store.HTTPLogQuery{Type: "webhook_called"}, []int64{logs[2].ID, logs[0].ID}},
		"flow":    {store.HTTPLogQuery{FlowUUID: "f1"}, []int64{logs[0].ID}},
		"channel": {store.HTTPLogQuery{ChannelUUID: "ch1"}, []int64{logs[1].ID}},
		"page":    {store.HTTPLogQuery{BeforeID: logs[2].ID, Limit: 1}, []int64{logs[1].ID}},
	} {
		got, err := s.ListHTTPLogs(ctx(), w.ID, c.q)
		var ids []int64
		for _, l := range got {
			ids = append(ids, l.ID)
		}
		if err != nil || fmt.Sprint(ids) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v want %v (%v)", name, ids, c.want, err)
		}
	}
	got, _ := s.ListHTTPLogs(ctx(), w.ID, store.HTTPLogQuery{FlowUUID: "f1"})
	if l := got[0]; !l.IsError || l.StatusCode != 500 || l.ElapsedMS != 12 || l.Method != "POST" || l.Response != "HTTP/1.1 500" || !l.CreatedOn.Equal(t0) {
		t.Fatalf("log: %+v", l)
	}
	if n, _ := s.DeleteHTTPLogsBefore(ctx(), t0.Add(90*time.Minute)); n != 2 {
		t.Fatalf("trimmed %d", n)
	}

	in := receive(t, s, w.ID, "tel:+1", "hello")
	c := mustContact(t, s, w.ID, "tel:+2")
	out := &store.Msg{URN: "tel:+2", ChannelUUID: "ch1", Text: "hi", Labels: []string{"l1"}, Locale: "eng-KE"}
	mustCommit(t, s, "", &store.Scene{WorkspaceID: w.ID, ContactID: c.ID, MsgsOut: []*store.Msg{out}})
	yes, no := true, false
	if ms, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{Incoming: &yes}); len(ms) != 1 || ms[0].ID != in.MsgID {
		t.Fatalf("incoming: %+v", ms)
	}
	ms, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{Incoming: &no, URN: "tel:+2"})
	if len(ms) != 1 || ms[0].Labels[0] != "l1" || ms[0].Locale != "eng-KE" || ms[0].Status != store.MsgQueued {
		t.Fatalf("outgoing: %+v", ms)
	}
	if ms, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{AfterID: in.MsgID}); len(ms) != 1 || ms[0].ID != out.ID {
		t.Fatalf("after: %+v", ms)
	}
	if _, err := s.GetMsg(ctx(), 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing msg: %v", err)
	}
}
