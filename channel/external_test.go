package channel_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

func favourites() *Flow {
	return &Flow{Name: "Favourites", Nodes: []*Node{
		{Actions: []map[string]any{Say("What is your favourite colour?", "Red", "Blue")}, Next: map[string]int{"*": 1}},
		{Wait: true, Result: "Color", Cases: []Case{Word("red", "Red"), Word("blue", "Blue")},
			Next: map[string]int{"Red": 2, "Blue": 2, "Other": 0}},
		{Actions: []map[string]any{Say("@results.color.category it is!")}},
	}}
}

func withFlow(t *testing.T, s *Server, keyword string) {
	t.Helper()
	f := favourites()
	s.Import(Export(f))
	if err := s.Srv.Runtime.SaveTrigger(context.Background(), &store.Trigger{WorkspaceID: s.Workspace.ID, Type: "keyword",
		Keywords: []string{keyword}, MatchType: "first_word", FlowUUID: f.UUID}); err != nil {
		t.Fatal(err)
	}
}

// TestExternalChannel: a message received on an External API channel starts a flow, its
// reply goes out through the templated request (auth header, quick replies), a status
// callback marks it delivered, a retried webhook is not stored twice, and bad requests get
// the courier error shape and store nothing.
func TestExternalChannel(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		ch := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "+250788383383", Country: "RW", TPS: channel.Unlimited,
			Config: channel.Config{"send_url": fake.URL + "/send?to={{to}}", "send_authorization": "Token s3cr3t-token",
				"content_type": "json", "body": `{"id":{{uuid}},"text":{{text}},"to":{{to_no_plus}},"qr":{{quick_replies}}}`}})
		withFlow(t, s, "fav")
		base := "/c/ex/" + ch.UUID

		status, out, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", form("from", "0788000001", "text", "fav please"), nil)
		if status != 200 || out["message"] != "Message Accepted" {
			t.Fatalf("receive: %d %v", status, out)
		}
		req := fake.wait(t, 1)[0]
		if req.Method != "POST" || req.Path != "/send" || req.Form.Get("to") != "+250788000001" {
			t.Fatalf("send request: %+v", req)
		}
		if req.Header.Get("Authorization") != "Token s3cr3t-token" || req.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("send headers: %v", req.Header)
		}
		out2 := decode(t, req.Body)
		if out2["text"] != "What is your favourite colour?" || out2["to"] != "250788000001" || len(out2["qr"].([]any)) != 2 {
			t.Fatalf("send body: %s", req.Body)
		}
		sent := waitStatus(t, s, out2["id"].(string), store.MsgWired)
		if sent.SentOn == nil {
			t.Fatalf("wired without sent_on: %+v", sent)
		}

		// delivery report by message UUID; a later "sent" does not move it back
		status, out, _ = post(t, s, base+"/delivered", "application/x-www-form-urlencoded", form("id", sent.UUID), nil)
		if status != 200 || out["message"] != "Status Update Accepted" {
			t.Fatalf("delivered: %d %v", status, out)
		}
		waitStatus(t, s, sent.UUID, store.MsgDelivered)
		post(t, s, base+"/sent", "application/x-www-form-urlencoded", form("id", sent.UUID), nil)
		waitStatus(t, s, sent.UUID, store.MsgDelivered)

		// the provider retries its webhook: acknowledged with the same message, stored once
		body := form("from", "+250788000001", "text", "red")
		_, first, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", body, nil)
		_, again, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", body, nil)
		if first["data"].([]any)[0].(map[string]any)["msg_uuid"] != again["data"].([]any)[0].(map[string]any)["msg_uuid"] {
			t.Fatalf("retry got another message: %v %v", first, again)
		}
		reqs := fake.wait(t, 2)
		if got := decode(t, reqs[1].Body)["text"]; got != "Red it is!" {
			t.Fatalf("reply: %v", got)
		}
		time.Sleep(300 * time.Millisecond)
		if n := len(msgs(t, s, true)); n != 2 {
			t.Fatalf("%d incoming messages, want 2", n)
		}

		// bad input: the error shape, nothing stored
		before := len(msgs(t, s, true))
		for _, c := range []struct {
			path, body string
			status     int
		}{
			{base + "/receive", form("text", "no sender"), 400},
			{base + "/receive", form("from", "+250788000001", "text", "x", "date", "yesterday"), 400},
			{base + "/receive", form("from", "not a number!", "text", "x"), 400},
			{"/c/ex/" + UUID() + "/receive", form("from", "+250788000001", "text", "x"), 400},
			{"/c/zz/" + ch.UUID + "/receive", form("from", "+250788000001", "text", "x"), 400},
			{base + "/delivered", form("id", "12345"), 400},
			{base + "/receive", "from=%2B250788000001&text=" + strings.Repeat("x", 2<<20), 413},
		} {
			status, out, raw := post(t, s, c.path, "application/x-www-form-urlencoded", c.body, nil)
			if status != c.status || out["message"] != "Error" || errText(out) == "" {
				t.Errorf("%s: %d %.200s", c.path, status, raw)
			}
		}
		if n := len(msgs(t, s, true)); n != before {
			t.Fatalf("bad requests stored messages: %d -> %d", before, n)
		}

		// an unknown message's report is ignored, not an error
		status, out, _ = post(t, s, base+"/failed", "application/x-www-form-urlencoded", form("id", UUID()), nil)
		if status != 200 || out["message"] != "Ignored" {
			t.Fatalf("unknown status: %d %v", status, out)
		}

		// stop: a stop_contact event
		status, out, _ = post(t, s, base+"/stopped", "application/x-www-form-urlencoded", form("from", "+250788000001"), nil)
		if status != 200 || out["message"] != "Event Accepted" {
			t.Fatalf("stopped: %d %v", status, out)
		}

		// channel logs: admins only, secrets redacted
		if err := s.Srv.Channels.FlushLogs(context.Background()); err != nil {
			t.Fatal(err)
		}
		var logs struct {
			Results []channel.LogView `json:"results"`
		}
		if st := s.JSON("GET", "/c/logs/"+ch.UUID, nil, "admin", &logs); st != 200 || len(logs.Results) < 4 {
			t.Fatalf("logs: %d %d", st, len(logs.Results))
		}
		types := map[string]bool{}
		for _, l := range logs.Results {
			types[l.Type] = true
			if strings.Contains(l.Request+l.Response+l.URL, "s3cr3t") {
				t.Fatalf("secret in log: %+v", l)
			}
		}
		for _, want := range []string{"msg_send", "msg_receive", "msg_status", "event_receive"} {
			if !types[want] {
				t.Errorf("no %s log in %v", want, types)
			}
		}
		if st, _ := s.Do("GET", "/c/logs/"+ch.UUID, nil, nil, "", ""); st != http.StatusUnauthorized {
			t.Errorf("logs without sign-in: %d", st)
		}
	})
}

// TestExternalRetries: a provider error leaves the message errored with a retry 5 minutes
// later, the second 10 minutes later, and the third error fails it ("error limit").
func TestExternalRetries(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		clock := runtime.NewManualClock(time.Now())
		s := Start(t, backend, Options{Clock: clock})
		fake := newFakeProvider(t)
		fake.setAnswer(func(fakeReq) (int, string) { return 503, `{"error":"busy"}` })
		ch := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "+250788383383", TPS: channel.Unlimited,
			Config: channel.Config{"send_url": fake.URL + "/send"}})
		withFlow(t, s, "fav")
		post(t, s, "/c/ex/"+ch.UUID+"/receive", "application/x-www-form-urlencoded", form("from", "+250788000001", "text", "fav"), nil)
		uuid := fake.wait(t, 1)[0].Form.Get("uuid")
		m := waitStatus(t, s, uuid, store.MsgErrored)
		if m.ErrorCount != 1 || m.NextAttempt == nil || !about(m.NextAttempt.Sub(clock.Now()), 5*time.Minute) {
			t.Fatalf("first error: %+v", m)
		}
		time.Sleep(1500 * time.Millisecond)
		if fake.count() != 1 {
			t.Fatalf("retried before its time: %d", fake.count())
		}
		clock.Advance(5 * time.Minute)
		fake.wait(t, 2)
		m = waitStatus(t, s, uuid, store.MsgErrored)
		for m.ErrorCount != 2 {
			time.Sleep(20 * time.Millisecond)
			m = waitStatus(t, s, uuid, store.MsgErrored)
		}
		if !about(m.NextAttempt.Sub(clock.Now()), 10*time.Minute) {
			t.Fatalf("second error: %+v", m)
		}
		clock.Advance(10 * time.Minute)
		fake.wait(t, 3)
		m = waitStatus(t, s, uuid, store.MsgFailed)
		if m.FailedReason != "error limit" {
			t.Fatalf("third error: %+v", m)
		}
	})
}

// TestExternalTPS: a channel limited to 5 sends a second takes 20 messages out over at least
// three seconds, never more than 5 in one budget second.
func TestExternalTPS(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "+250788383383", TPS: 5,
			Config: channel.Config{"send_url": fake.URL + "/send"}})
		var urns []string
		for i := range 20 {
			urns = append(urns, "tel:+2507880001"+string(rune('0'+i/10))+string(rune('0'+i%10)))
		}
		if err := s.Srv.Runtime.Broadcast(context.Background(), &store.Broadcast{WorkspaceID: s.Workspace.ID,
			Translations: []byte(`{"eng":{"text":"hello"}}`), URNs: urns}); err != nil {
			t.Fatal(err)
		}
		reqs := fake.wait(t, 20)
		span := reqs[19].At.Sub(reqs[0].At)
		if span < 2*time.Second {
			t.Fatalf("20 sends at 5/s took %s", span)
		}
		perSecond := map[int64]int{}
		for _, r := range reqs {
			perSecond[r.At.Unix()]++
		}
		for sec, n := range perSecond {
			if n > 6 { // a grant at the end of a second may land a send in the next one
				t.Fatalf("%d sends in second %d", n, sec)
			}
		}
	})
}

func about(d, want time.Duration) bool { return d > want-time.Second && d <= want }
