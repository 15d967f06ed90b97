package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"careflow/internal/testserver"
)

// TestCHTOutboundPages: a document pushed to a receiver shows on the outbound page with its
// state, and the dry run shows what a config would send for a stored document.
func TestCHTOutboundPages(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
		defer rcv.Close()
		s := testserver.Start(t, backend, testserver.Options{})
		do := func(method, path, ctype, body string) {
			t.Helper()
			if st, b := s.Do(method, path, map[string]string{"Content-Type": ctype}, []byte(body), "admin", ""); st >= 300 {
				t.Fatalf("%s %s: %d %s", method, path, st, b)
			}
		}
		do("PUT", "/api/v1/credentials/rp-token", "text/plain", "Token secret")
		do("PUT", "/api/v1/settings", "application/json", `{"transitions":{"mark_for_outbound":true},"outbound":{"rp":{"relevant_to":"doc.type === 'person'",`+
			`"destination":{"base_url":"`+rcv.URL+`","path":"/api/v2/flow_starts.json","auth":{"type":"header","name":"Authorization","value_key":"rp-token"}},`+
			`"mapping":{"urns":{"expr":"['tel:' + doc.phone]"},"flow":{"expr":"'f1'"}}}}}`)
		do("PUT", "/medic/p1", "application/json", `{"type":"person","name":"Ann","phone":"+254700000002"}`)

		se := newSession(t, s)
		if st := se.signIn(s.Admin); st != http.StatusSeeOther {
			t.Fatalf("sign in: %d", st)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			_, body := se.get("/cht/outbound/?state=sent")
			if strings.Contains(body, "<td>p1</td><td>rp</td><td>sent</td>") {
				break
			}
			if time.Now().After(deadline) {
				_, all := se.get("/cht/outbound/")
				t.Fatalf("push not shown as sent: %s", all[strings.Index(all, "<table"):])
			}
			time.Sleep(100 * time.Millisecond)
		}
		st, body := se.get("/cht/outbound/dryrun/?config=rp&doc_ids=" + url.QueryEscape("p1"))
		if st != 200 || !strings.Contains(body, "tel:&#43;254700000002") {
			t.Fatalf("dry run: %d %s", st, body[strings.Index(body, "<main>"):])
		}
		if _, body := se.get("/cht/settings/"); !strings.Contains(body, "/api/v2/flow_starts.json") {
			t.Fatal("settings page lacks the outbound config")
		}
	})
}
