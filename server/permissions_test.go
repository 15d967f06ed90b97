package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"careflow/server"
	"careflow/store"
)

// TestDesignDocsAdminsOnly: as in CouchDB, only admins write design documents; a gateway
// user, who may write other documents, is refused whichever way it addresses them.
func TestDesignDocsAdminsOnly(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		e, srv := startServerWith(t, db, nil, io.Discard)
		addGateway(t, srv)
		refused := `{"error":"unauthorized","reason":"You are not a db or server admin."}`
		for _, path := range []string{"/medic/_design/evil", "/medic/_design%2Fevil"} {
			st, body, _ := e.send("PUT", path, "rapidpro", strings.NewReader(`{"views":{}}`))
			if st != http.StatusUnauthorized || strings.TrimSpace(body) != refused {
				t.Fatalf("gateway PUT %s: %d %s", path, st, body)
			}
		}
		st, body, _ := e.send("POST", "/medic/_bulk_docs", "rapidpro", strings.NewReader(`{"docs":[{"_id":"_design/evil"},{"_id":"fine","type":"person"}]}`))
		if st != http.StatusCreated || !strings.Contains(body, `{"id":"_design/evil","error":"unauthorized","reason":"You are not a db or server admin."}`) ||
			!strings.Contains(body, `{"ok":true,"id":"fine"`) {
			t.Fatalf("gateway bulk: %d %s", st, body)
		}
		if _, err := srv.Store.GetDoc(context.Background(), "_design/evil"); err == nil {
			t.Fatal("a gateway wrote a design document")
		}
		if st, body, _ := e.send("PUT", "/medic/_design/ok", "admin", strings.NewReader(`{"views":{}}`)); st != http.StatusCreated {
			t.Fatalf("admin PUT: %d %s", st, body)
		}
		if st, body, _ := e.send("GET", "/medic/_design/ok", "rapidpro", nil); st != 200 || !strings.Contains(body, `"_id":"_design/ok"`) {
			t.Fatalf("gateway GET: %d %s", st, body)
		}
		if st, _, _ := e.send("DELETE", "/medic/_design/ok?rev=x", "rapidpro", nil); st != http.StatusUnauthorized {
			t.Fatalf("gateway DELETE: %d", st)
		}
	})
}

// TestOutboundAdminBounds: a re-queue or dry run names a bounded number of items and runs a
// bounded time.
func TestOutboundAdminBounds(t *testing.T) {
	e, srv := startServerWith(t, "", map[string]string{server.OptionOutboundAPITimeout: "150ms", server.OptionOutboundJSTimeout: "50ms"}, io.Discard)
	ids := make([]string, 1001)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	docIDs, _ := json.Marshal(make([]string, 201))
	cases := []struct{ path, body, want string }{
		{"/api/v1/outbound/pushes/requeue", `{"ids":[` + strings.Join(ids, ",") + `]}`, "at most 1000 ids per re-queue; got 1001"},
		{"/api/v1/outbound/test", `{"config":"x","doc_ids":` + string(docIDs) + `}`, "at most 200 doc_ids per dry run; got 201"},
		{"/api/v1/outbound/test", `{"config":"x","type":"person","limit":201}`, "limit must be at most 200"},
		{"/api/v1/outbound/pushes/requeue", `{"ids":"1"}`, "body member ids has the wrong type (string)"},
		{"/api/v1/outbound/test", `{"config":"x"} {}`, "malformed JSON body: unexpected data after the JSON value at offset 15"},
	}
	for _, tc := range cases {
		st, body := e.do("POST", tc.path, "application/json", tc.body, true)
		if st != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Fatalf("%s %.60s: %d %s", tc.path, tc.body, st, body)
		}
	}

	// Each document's relevant_to spins until the sandbox stops it (50 ms or more): 60
	// documents would take several seconds; the dry run stops soon after its 150 ms.
	var writes []store.DocWrite
	for i := range 60 {
		writes = append(writes, store.DocWrite{ID: fmt.Sprintf("p%02d", i), Fields: []byte(`{"type":"person"}`)})
	}
	if _, err := srv.Store.WriteDocs(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, body := e.do("POST", "/api/v1/outbound/test", "application/json",
		`{"proposed":{"relevant_to":"(function(){while(true){}})()","destination":{"base_url":"https://example.org","path":"/"},"mapping":{"id":"doc._id"}},"type":"person","limit":60}`, true)
	if took := time.Since(start); st != http.StatusServiceUnavailable || !strings.Contains(body, "dry run stopped after 150ms") || took > 1500*time.Millisecond {
		t.Fatalf("slow dry run: %d %s after %v", st, body, took)
	}
}

// TestMetricsNeedLoginOrOwnAddress: /metrics on the main address needs a login; with
// metrics.addr it moves to that address, where a scraper needs none.
func TestMetricsNeedLoginOrOwnAddress(t *testing.T) {
	e, _ := startServerWith(t, "", nil, io.Discard)
	if st, _ := e.do("GET", "/metrics", "", "", false); st != http.StatusUnauthorized {
		t.Fatalf("anonymous /metrics: %d", st)
	}
	if st, body := e.do("GET", "/metrics", "", "", true); st != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics with a login: %d", st)
	}

	e2, srv := startServerWith(t, "", map[string]string{server.OptionMetricsAddr: "127.0.0.1:0"}, io.Discard)
	if st, _ := e2.do("GET", "/metrics", "", "", true); st != http.StatusNotFound {
		t.Fatalf("/metrics on the main address with metrics.addr set: %d", st)
	}
	resp, err := http.Get("http://" + srv.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "go_goroutines") {
		t.Fatalf("/metrics on metrics.addr: %d", resp.StatusCode)
	}
}
