package runtime_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	. "careflow/internal/testserver"
	"careflow/store"
)

// TestTwoNodesShareContacts: two careflow nodes on one PostgreSQL database receive the same
// contacts' messages alternately; each contact's messages are handled once each, in order.
func TestTwoNodesShareContacts(t *testing.T) {
	a := Start(t, "postgres", Options{})
	b := Start(t, "postgres", Options{DSN: a.DSN})
	b.Admin = a.Admin
	echo := &Flow{Name: "Echo", Nodes: []*Node{
		{Actions: []map[string]any{Say("hello")}, Next: map[string]int{"*": 1}},
		{Wait: true, Next: map[string]int{"Other": 2}},
		{Actions: []map[string]any{Say("got @input.text")}, Next: map[string]int{"*": 1}},
	}}
	a.Import(Export(echo))
	addTrigger(t, a, &store.Trigger{Type: "keyword", Keywords: []string{"echo"}, FlowUUID: echo.UUID})
	b.Srv.Runtime.Invalidate(b.Workspace.ID)

	const contacts, msgs = 12, 6
	var wg sync.WaitGroup
	for c := 0; c < contacts; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			urn := fmt.Sprintf("+25078810%04d", c)
			for i := 0; i < msgs; i++ {
				node := a
				if i%2 == 1 {
					node = b
				}
				text := "echo"
				if i > 0 {
					text = fmt.Sprintf("m%d", i)
				}
				var out map[string]any
				if st := node.JSON("POST", "/c/test/"+node.Channel.UUID+"/receive", map[string]string{"from": urn, "text": text}, "", &out); st != http.StatusOK {
					t.Errorf("receive: %d %v", st, out)
				}
			}
		}()
	}
	wg.Wait()
	a.Idle()
	for c := 0; c < contacts; c++ {
		p := a.Phone(fmt.Sprintf("+25078810%04d", c))
		got := p.Expect(msgs)
		want := []string{"hello"}
		for i := 1; i < msgs; i++ {
			want = append(want, fmt.Sprintf("got m%d", i))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("contact %d: replies %q, want %q", c, got, want)
		}
	}
}

// TestReceiveBadInput: malformed senders, oversize texts and unknown channels are refused
// with courier's error shape and store nothing.
func TestReceiveBadInput(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		path := "/c/test/" + s.Channel.UUID + "/receive"
		for _, tc := range []struct {
			path   string
			body   map[string]string
			status int
			want   string
		}{
			{path, map[string]string{"text": "hi"}, 400, "field 'from' required"},
			{path, map[string]string{"from": "tel:not a number!", "text": "hi"}, 400, "invalid URN"},
			{path, map[string]string{"from": "whatsapp:not-digits", "text": "hi"}, 400, "invalid URN"},
			{path, map[string]string{"from": "+250788000001", "text": strings.Repeat("x", 10001)}, 400, "longer than 10000"},
			{"/c/test/" + UUID() + "/receive", map[string]string{"from": "+250788000001", "text": "hi"}, 404, "channel not found"},
		} {
			var out map[string]any
			status := s.JSON("POST", tc.path, tc.body, "", &out)
			body := fmt.Sprint(out)
			if status != tc.status || !strings.Contains(body, tc.want) || out["message"] != "Error" {
				t.Fatalf("%v: %d %s, want %d with %q", tc.body, status, body, tc.status, tc.want)
			}
		}
		if status, body := s.Do("POST", path, map[string]string{"Content-Type": "application/json"}, []byte(`{"from": "+2507`), "", ""); status != 400 {
			t.Fatalf("truncated JSON: %d %s", status, body)
		}
		if n, err := s.Srv.Runtime.Store.CountContacts(t.Context(), s.Workspace.ID); err != nil || n != 0 {
			t.Fatalf("refused messages created %d contacts (%v)", n, err)
		}
	})
}
