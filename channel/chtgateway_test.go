package channel_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

type gatewayAnswer struct {
	Messages []struct {
		Content string `json:"content"`
		To      string `json:"to"`
		ID      string `json:"id"`
	} `json:"messages"`
}

// gatewayApp plays the cht-gateway Android app: it polls POST /api/sms with what it received
// and the statuses of what it sent.
func gatewayPoll(t *testing.T, s *Server, body any) gatewayAnswer {
	t.Helper()
	b, _ := json.Marshal(body)
	status, resp := s.Do("POST", "/api/sms", map[string]string{"Content-Type": "application/json", "Accept": "application/json"},
		b, "admin", "")
	if status != 200 {
		t.Fatalf("poll: %d %s", status, resp)
	}
	var out gatewayAnswer
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("poll answer %s: %v", resp, err)
	}
	return out
}

func gatewayWait(t *testing.T, s *Server, body any) gatewayAnswer {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		out := gatewayPoll(t, s, body)
		if len(out.Messages) > 0 {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatal("the gateway was given nothing to send")
		}
		body = map[string]any{}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCHTGateway: a simulated cht-gateway app carries a flow's question out and the answer
// in over /api/sms, the flow resumes; messages reach CHT's records once per gateway id;
// statuses move the message on.
func TestCHTGateway(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		addChannel(t, s, channel.ChannelSpec{Type: "CG", Address: "+250788383383", Country: "RW"})
		withFlow(t, s, "fav")

		status, body := s.Do("GET", "/api/sms", nil, nil, "admin", "")
		if status != 200 || strings.TrimSpace(string(body)) != `{"medic-gateway":true}` {
			t.Fatalf("GET /api/sms: %d %s", status, body)
		}
		in := map[string]any{"messages": []map[string]any{{"id": "gw-1", "from": "+250788000001", "content": "fav",
			"sms_sent": 1777629590000, "sms_received": 1777629600000}, {"id": "gw-bad", "content": "no sender"}}}
		out := gatewayWait(t, s, in)
		q := out.Messages[0]
		if q.To != "+250788000001" || q.Content != "What is your favourite colour?\n\nRed\nBlue" || len(out.Messages) != 1 {
			t.Fatalf("outgoing: %+v", out)
		}
		// no status yet: offered again (the app de-duplicates by id)
		if again := gatewayPoll(t, s, map[string]any{}); len(again.Messages) != 1 || again.Messages[0].ID != q.ID {
			t.Fatalf("second poll: %+v", again)
		}
		// the app reports it sent, and hands in the answer (twice: a retried poll)
		reply := map[string]any{"messages": []map[string]any{{"id": "gw-2", "from": "+250788000001", "content": "blue"}},
			"updates": []map[string]any{{"id": q.ID, "status": "SENT"}}}
		gatewayPoll(t, s, reply)
		out = gatewayWait(t, s, reply)
		if out.Messages[0].Content != "Blue it is!" {
			t.Fatalf("flow did not resume: %+v", out)
		}
		waitStatus(t, s, q.ID, store.MsgSent)
		gatewayPoll(t, s, map[string]any{"updates": []map[string]any{{"id": q.ID, "status": "DELIVERED"},
			{"id": out.Messages[0].ID, "status": "FAILED", "reason": "generic failure"}, {"id": "nope", "status": "SENT"}}})
		waitStatus(t, s, q.ID, store.MsgDelivered)
		if m := waitStatus(t, s, out.Messages[0].ID, store.MsgFailed); m.FailedReason != "generic failure" {
			t.Fatalf("failed reason: %+v", m)
		}
		if left := gatewayPoll(t, s, nil); len(left.Messages) != 0 {
			t.Fatalf("reported messages offered again: %+v", left)
		}
		if n := len(msgs(t, s, true)); n != 2 {
			t.Fatalf("%d incoming messages, want 2", n)
		}

		// CHT's side: one sms_message record per gateway id
		docs, err := s.Srv.Store.FindDocs(context.Background(), store.DocQuery{Type: "data_record"})
		if err != nil {
			t.Fatal(err)
		}
		refs := map[string]int{}
		for _, d := range docs {
			var rec struct {
				SMS struct {
					Type       string `json:"type"`
					GatewayRef string `json:"gateway_ref"`
				} `json:"sms_message"`
				From string `json:"from"`
			}
			_ = json.Unmarshal(d.Fields, &rec)
			if rec.SMS.Type == "sms_message" && rec.From == "+250788000001" {
				refs[rec.SMS.GatewayRef]++
			}
		}
		if refs["gw-1"] != 1 || refs["gw-2"] != 1 || len(docs) != 2 {
			t.Fatalf("records by gateway ref: %v (%d docs)", refs, len(docs))
		}

		// bad input: 4xx in CHT's terms, nothing stored
		for _, c := range []struct {
			ct, body, user string
			status         int
		}{
			{"application/json", `{"messages":[]}`, "", 401},
			{"text/plain", `{"messages":[]}`, "admin", 400},
			{"application/json", `{"messages":`, "admin", 400},
			{"application/json", `{"messages":"x"}`, "admin", 400},
			{"application/json", `{"messages":[` + strings.Repeat(`{"id":"a","from":"1","content":"x"},`, 1000) + `{}]}`, "admin", 400},
		} {
			status, body := s.Do("POST", "/api/sms", map[string]string{"Content-Type": c.ct}, []byte(c.body), c.user, "")
			var e map[string]any
			if status != c.status || json.Unmarshal(body, &e) != nil || e["error"] == nil {
				t.Errorf("%.40s: %d %s", c.body, status, body)
			}
		}
		if n := len(msgs(t, s, true)); n != 2 {
			t.Fatalf("bad polls stored messages: %d", n)
		}
	})
}
