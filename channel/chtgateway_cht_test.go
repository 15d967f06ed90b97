package channel_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

type chtTask struct {
	State        string            `json:"state"`
	StateDetails map[string]string `json:"state_details"`
	GatewayRef   string            `json:"gateway_ref"`
	StateHistory []struct {
		State        string            `json:"state"`
		StateDetails map[string]string `json:"state_details"`
		Timestamp    string            `json:"timestamp"`
	} `json:"state_history"`
}

type chtDoc struct {
	Rev            string    `json:"_rev"`
	Tasks          []chtTask `json:"tasks"`
	ScheduledTasks []chtTask `json:"scheduled_tasks"`
}

func getCHTDoc(t *testing.T, s *Server, id string) (chtDoc, string) {
	t.Helper()
	status, body := s.Do("GET", "/medic/"+id, nil, nil, "admin", "")
	if status != 200 {
		t.Fatalf("GET %s: %d %s", id, status, body)
	}
	var d chtDoc
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	return d, string(body)
}

func putCHTDoc(t *testing.T, s *Server, id, body string) {
	t.Helper()
	if status, resp := s.Do("PUT", "/medic/"+id, map[string]string{"Content-Type": "application/json"}, []byte(body), "admin", ""); status != 201 {
		t.Fatalf("PUT %s: %d %s", id, status, resp)
	}
}

func pendingTask(uuid, to, text, extra string) string {
	return fmt.Sprintf(`{%s"messages":[{"sent_by":"admin","to":%q,"message":%q,"uuid":%q}],"state":"pending",`+
		`"state_history":[{"state":"pending","timestamp":"2026-12-01T10:00:00.000Z"}]}`, extra, to, text, uuid)
}

// TestCHTGatewayOwnMessages: CHT's own outgoing messages (task messages of documents: a
// message written in the app, a scheduled reminder that is due) go to the gateway app in the
// same poll as a flow's messages; handing them out marks their tasks forwarded-to-gateway
// once, they are handed out again until the app reports a status, and the statuses move the
// tasks on with their state_history as CHT records them. 25 messages per poll at most, the
// two sources sharing them.
func TestCHTGatewayOwnMessages(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		addChannel(t, s, channel.ChannelSpec{Type: "CG", Address: "+254700000001", Country: "KE"})
		withFlow(t, s, "fav")
		if st, body := s.Do("PUT", "/api/v1/settings", map[string]string{"Content-Type": "application/json"},
			[]byte(`{"default_country_code":254}`), "admin", ""); st != 200 {
			t.Fatalf("settings: %d %s", st, body)
		}

		// A reminder that is due (first: its due is the earliest); a message written in the app
		// (kujua_message, due at its reported_date); a reminder
		// still scheduled (not handed out) and a message already sent (not handed out).
		putCHTDoc(t, s, "msg-1", `{"type":"data_record","kujua_message":true,"reported_date":1777000000000,"tasks":[`+
			pendingTask("11111111-aaaa-4aaa-8aaa-000000000001", "0712345678", "Your visit is tomorrow", "")+`]}`)
		putCHTDoc(t, s, "rep-1", `{"type":"data_record","form":"P","reported_date":1777000500000,"tasks":[`+
			`{"messages":[{"to":"+254712000111","message":"Thanks","uuid":"old-sent"}],"state":"sent"}],"scheduled_tasks":[`+
			pendingTask("22222222-aaaa-4aaa-8aaa-000000000002", "+254712000111", "Reminder: clinic", `"due":"2026-01-01T08:00:00.000Z","group":1,`)+`,`+
			`{"due":"2099-01-01T08:00:00.000Z","messages":[{"to":"+254712000111","message":"Later","uuid":"later-1"}],"state":"scheduled"}]}`)

		// The phone hands in "fav": the flow's question goes out in the same poll as CHT's two.
		in := map[string]any{"messages": []map[string]any{{"id": "gw-1", "from": "+254712999999", "content": "fav"}}}
		out := gatewayPoll(t, s, in)
		for len(out.Messages) < 3 {
			out = gatewayWait(t, s, map[string]any{})
		}
		got := []string{}
		for _, m := range out.Messages {
			got = append(got, m.To+"|"+m.Content)
		}
		want := "+254712000111|Reminder: clinic,+254712345678|Your visit is tomorrow,+254712999999|What is your favourite colour?\n\nRed\nBlue"
		if strings.Join(got, ",") != want {
			t.Fatalf("poll gave %q", got)
		}
		if out.Messages[0].ID != "22222222-aaaa-4aaa-8aaa-000000000002" || out.Messages[1].ID != "11111111-aaaa-4aaa-8aaa-000000000001" {
			t.Fatalf("ids: %+v", out.Messages)
		}
		flowID := out.Messages[2].ID

		d, raw := getCHTDoc(t, s, "msg-1")
		task := d.Tasks[0]
		if task.State != "forwarded-to-gateway" || len(task.StateHistory) != 2 || task.StateHistory[1].State != "forwarded-to-gateway" ||
			!strings.HasSuffix(task.StateHistory[1].Timestamp, "Z") || task.StateDetails != nil {
			t.Fatalf("after hand-out: %s", raw)
		}
		// CHT's member order: the task keeps its own, state_history last as before
		if !strings.Contains(raw, `"tasks":[{"messages":[{"sent_by":"admin","to":"0712345678","message":"Your visit is tomorrow","uuid":"11111111-aaaa-4aaa-8aaa-000000000001"}],"state":"forwarded-to-gateway","state_history":[`) {
			t.Fatalf("task shape: %s", raw)
		}
		rev := d.Rev
		if rd, _ := getCHTDoc(t, s, "rep-1"); rd.ScheduledTasks[0].State != "forwarded-to-gateway" || rd.ScheduledTasks[1].State != "scheduled" ||
			rd.Tasks[0].State != "sent" {
			t.Fatalf("report tasks: %+v", rd)
		}

		// No status yet: all three are handed out again; the forwarded tasks are not rewritten.
		again := gatewayPoll(t, s, map[string]any{})
		if len(again.Messages) != 3 {
			t.Fatalf("re-poll: %+v", again)
		}
		if d, _ := getCHTDoc(t, s, "msg-1"); d.Rev != rev {
			t.Fatalf("a re-poll rewrote the document: %s → %s", rev, d.Rev)
		}

		// The app reports: CHT's messages and the flow's, in one poll.
		gatewayPoll(t, s, map[string]any{"updates": []map[string]any{
			{"id": "11111111-aaaa-4aaa-8aaa-000000000001", "status": "SENT"},
			{"id": "11111111-aaaa-4aaa-8aaa-000000000001", "status": "DELIVERED"},
			{"id": "22222222-aaaa-4aaa-8aaa-000000000002", "status": "FAILED", "reason": "generic failure"},
			{"id": flowID, "status": "SENT"},
			{"id": "no-such-message", "status": "SENT"},
		}})
		d, raw = getCHTDoc(t, s, "msg-1")
		task = d.Tasks[0]
		states := []string{}
		for _, h := range task.StateHistory {
			states = append(states, h.State)
		}
		if task.State != "delivered" || strings.Join(states, ",") != "pending,forwarded-to-gateway,sent,delivered" {
			t.Fatalf("after statuses: %s", raw)
		}
		rd, raw := getCHTDoc(t, s, "rep-1")
		st := rd.ScheduledTasks[0]
		if st.State != "failed" || st.StateDetails["reason"] != "generic failure" ||
			st.StateHistory[len(st.StateHistory)-1].StateDetails["reason"] != "generic failure" {
			t.Fatalf("failed task: %s", raw)
		}
		waitStatus(t, s, flowID, store.MsgSent)

		// A repeated status changes nothing; an unknown one is recorded as unrecognised.
		rev = rd.Rev
		gatewayPoll(t, s, map[string]any{"updates": []map[string]any{
			{"id": "22222222-aaaa-4aaa-8aaa-000000000002", "status": "FAILED", "reason": "generic failure"}}})
		if rd, _ := getCHTDoc(t, s, "rep-1"); rd.Rev != rev {
			t.Fatal("a repeated status rewrote the document")
		}
		gatewayPoll(t, s, map[string]any{"updates": []map[string]any{
			{"id": "11111111-aaaa-4aaa-8aaa-000000000001", "status": "LOST_IN_SPACE"}}})
		if d, raw := getCHTDoc(t, s, "msg-1"); d.Tasks[0].State != "unrecognised" || d.Tasks[0].StateDetails["gateway_status"] != "LOST_IN_SPACE" {
			t.Fatalf("unrecognised: %s", raw)
		}

		// Acknowledged messages are not handed out again.
		if left := gatewayPoll(t, s, map[string]any{}); len(left.Messages) != 0 {
			t.Fatalf("acknowledged messages handed out again: %+v", left)
		}

		// 30 of CHT's messages and a flow message: one poll carries 25, both sources in it;
		// the rest follow once those are acknowledged.
		for i := range 30 {
			putCHTDoc(t, s, fmt.Sprintf("bulk-%02d", i), fmt.Sprintf(`{"type":"data_record","kujua_message":true,"reported_date":%d,"tasks":[%s]}`,
				1777100000000+i, pendingTask(fmt.Sprintf("33333333-aaaa-4aaa-8aaa-%012d", i), "+254712000222", fmt.Sprint("bulk ", i), "")))
		}
		first := gatewayPoll(t, s, map[string]any{"messages": []map[string]any{{"id": "gw-2", "from": "+254712999999", "content": "blue"}}})
		for !hasText(first, "Blue it is!") {
			first = gatewayWait(t, s, map[string]any{})
		}
		if len(first.Messages) != 25 || first.Messages[0].Content != "bulk 0" || first.Messages[23].Content != "bulk 23" {
			t.Fatalf("full poll: %d messages, %+v", len(first.Messages), first.Messages)
		}
		var acks []map[string]any
		for _, m := range first.Messages {
			acks = append(acks, map[string]any{"id": m.ID, "status": "SENT"})
		}
		rest := gatewayPoll(t, s, map[string]any{"updates": acks})
		if len(rest.Messages) != 6 || rest.Messages[0].Content != "bulk 24" {
			t.Fatalf("next poll: %+v", rest.Messages)
		}
	})
}

func hasText(a gatewayAnswer, text string) bool {
	for _, m := range a.Messages {
		if m.Content == text {
			return true
		}
	}
	return false
}
