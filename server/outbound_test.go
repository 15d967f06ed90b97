package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"careflow/server"
	"careflow/store"
	"careflow/store/storetest"
)

type e2e struct {
	t        *testing.T
	base     string
	password string
	outcomes chan store.PushOutcome
}

func startServer(t *testing.T, db string) *e2e {
	t.Helper()
	e, srv := startServerWith(t, db, nil, io.Discard)
	outcomes := make(chan store.PushOutcome, 100)
	srv.Outbound.Opts.OnOutcome = func(o store.PushOutcome) { outcomes <- o }
	e.outcomes = outcomes
	return e
}

// startServerWith runs a server on loopback with a temporary data folder, db ("" for SQLite),
// options added to the test defaults, and its logs written to logs.
func startServerWith(t *testing.T, db string, opts map[string]string, logs io.Writer) (*e2e, *server.Server) {
	t.Helper()
	var out bytes.Buffer
	options := map[string]string{server.OptionPasswordIterations: "1000"}
	for k, v := range opts {
		options[k] = v
	}
	srv, err := server.New(context.Background(), server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: db, Out: &out,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Options: options})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
	})
	m := regexp.MustCompile(`user "admin" with password (\S+)`).FindSubmatch(out.Bytes())
	if m == nil {
		if _, given := opts["test.second_node"]; !given {
			t.Fatalf("no admin password in %q", out.String())
		}
		return &e2e{t: t, base: "http://" + addr}, srv // a second node: the first made the admin
	}
	return &e2e{t: t, base: "http://" + addr, password: string(m[1])}, srv
}

func (e *e2e) do(method, path, contentType, body string, admin bool) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if admin {
		req.SetBasicAuth("admin", e.password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOutboundEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testOutboundEndToEnd(t, "") })
	t.Run("postgres", func(t *testing.T) { testOutboundEndToEnd(t, storetest.PostgresSchemaDSN(t)) })
}

func testOutboundEndToEnd(t *testing.T, db string) {
	got := make(chan string, 10)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Token secret-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got <- r.URL.Path + " " + string(b)
	}))
	defer rcv.Close()
	e := startServer(t, db)

	config := func(relevant, cron string) string {
		c := `{"transitions":{"mark_for_outbound":true},"outbound":{"rp":{"relevant_to":` + relevant +
			`,"destination":{"base_url":"` + rcv.URL + `","path":"/api/v2/flow_starts.json","auth":{"type":"header","name":"Authorization","value_key":"rp-token"}},` +
			`"mapping":{"urns":{"expr":"['tel:' + doc.phone]"},"flow":{"expr":"'f1'"}}`
		if cron != "" {
			c += `,"cron":"` + cron + `"`
		}
		return c + `}}}`
	}
	// As in CHT, a config whose credential is not set yet is saved (with a warning): cht-conf
	// uploads the app settings first and the credential after.
	if st, body := e.do("PUT", "/api/v1/settings", "application/json", config(`"doc.type === 'person'"`, ""), true); st != 200 ||
		!strings.Contains(body, `"warnings":["outbound 'rp': credential 'rp-token' (destination.auth.value_key) is not set yet; pushes fail until it is set with PUT /api/v1/credentials/rp-token"]`) {
		t.Fatalf("settings before their credential: %d %s", st, body)
	}
	for _, tc := range []struct {
		name, body, want string
	}{
		{"BadJavaScript", config(`"doc.type ==="`, ""), "outbound 'rp': relevant_to: SyntaxError"},
		{"BadCron", config(`"doc.type === 'person'"`, "61 * * * *"), "outbound 'rp': invalid cron expression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "BadCron" {
				if st, body := e.do("PUT", "/api/v1/credentials/rp-token", "text/plain", "Token secret-token", true); st != 200 {
					t.Fatalf("credential: %d %s", st, body)
				}
			}
			st, body := e.do("PUT", "/api/v1/settings", "application/json", tc.body, true)
			if st != 400 || !strings.Contains(body, tc.want) {
				t.Fatalf("got %d %s, want 400 naming %q", st, body, tc.want)
			}
		})
	}
	if st, body := e.do("PUT", "/api/v1/settings", "application/json", config(`"doc.type === 'person'"`, ""), true); st != 200 {
		t.Fatalf("valid settings: %d %s", st, body)
	}

	// Dry run: nothing is sent, the payload is shown.
	st, body := e.do("POST", "/api/v1/outbound/test", "application/json", `{"config":"rp","doc":{"_id":"x1","type":"person","phone":"+254700000001"}}`, true)
	if st != 200 || !strings.Contains(body, `"body":"{\"urns\":[\"tel:+254700000001\"],\"flow\":\"f1\"}"`) || !strings.Contains(body, `"relevant":true`) {
		t.Fatalf("dry run: %d %s", st, body)
	}
	if st, _ := e.do("POST", "/api/v1/outbound/test", "application/json", `{"config":"nope","doc":{"_id":"x"}}`, true); st != 404 {
		t.Fatalf("dry run of an unknown config: %d", st)
	}

	// A document write pushes.
	if st, body := e.do("PUT", "/medic/p1", "application/json", `{"type":"person","name":"Ann","phone":"+254700000002"}`, true); st >= 300 {
		t.Fatalf("write: %d %s", st, body)
	}
	select {
	case g := <-got:
		if g != `/api/v2/flow_starts.json {"urns":["tel:+254700000002"],"flow":"f1"}` {
			t.Fatalf("received %s", g)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no push received")
	}

	// The admin API lists it once it is recorded; anonymous callers are refused.
	if st, _ := e.do("GET", "/api/v1/outbound/pushes", "", "", false); st != 401 {
		t.Fatalf("anonymous list: %d", st)
	}
	select {
	case o := <-e.outcomes:
		if !o.Sent {
			t.Fatalf("outcome %+v", o)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("outcome not recorded")
	}
	st, body = e.do("GET", "/api/v1/outbound/pushes?doc=p1", "", "", true)
	var res struct {
		Pushes []struct {
			State    string `json:"state"`
			Attempts int    `json:"attempts"`
			Config   string `json:"config"`
		} `json:"pushes"`
	}
	json.Unmarshal([]byte(body), &res)
	if st != 200 || len(res.Pushes) != 1 || res.Pushes[0].State != "sent" || res.Pushes[0].Attempts != 1 || res.Pushes[0].Config != "rp" {
		t.Fatalf("list: %d %s", st, body)
	}
	if st, body := e.do("POST", "/api/v1/outbound/pushes/requeue", "application/json", `{"all":true}`, true); st != 200 || !strings.Contains(body, `"requeued":0`) {
		t.Fatalf("requeue: %d %s", st, body)
	}
	if st, _ := e.do("GET", "/metrics", "", "", false); st != http.StatusUnauthorized {
		t.Fatalf("metrics without a login: %d", st)
	}
	st, body = e.do("GET", "/metrics", "", "", true)
	if st != 200 || !strings.Contains(body, `careflow_outbound_sent_total{config="rp"} 1`) || !strings.Contains(body, `careflow_outbound_queue_depth{state="sent"} 1`) {
		t.Fatalf("metrics: %d %s", st, body)
	}
}
