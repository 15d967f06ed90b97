package outbound_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/cht/outbound"
	"careflow/store"
	"careflow/store/storetest"
)

func TestDeliversOnWriteAndDedupesByHash(t *testing.T) {
	rcv := newReceiver(t, nil)
	b := setup(t, nil, nil, settingsJSON(pushConfig("p", rcv.URL, "doc.type === 'data_record'")), outbound.Options{})
	b.write(t, "r1", `{"type":"data_record","v":1,"other":"a"}`)
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("first push: %+v", o)
	}
	if got := <-rcv.got; got != `{"id":"r1","v":1}` {
		t.Fatalf("body %s", got)
	}
	// A new revision with the same payload is not sent again.
	b.write(t, "r1", `{"type":"data_record","v":1,"other":"b"}`)
	b.drained(t)
	if p := b.push(t, "r1"); p.State != store.PushSent || rcv.count() != 1 {
		t.Fatalf("unchanged payload: %+v, %d requests", p, rcv.count())
	}
	// A changed payload is.
	b.write(t, "r1", `{"type":"data_record","v":2,"other":"b"}`)
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("changed push: %+v", o)
	}
	if got := <-rcv.got; got != `{"id":"r1","v":2}` || rcv.count() != 2 {
		t.Fatalf("body %s after %d requests", got, rcv.count())
	}
	// Documents that are not relevant are never queued.
	b.write(t, "c1", `{"type":"person"}`)
	b.drained(t)
	if ps, _ := b.st.ListPushes(context.Background(), store.PushQuery{DocID: "c1"}); len(ps) != 0 {
		t.Fatalf("irrelevant doc queued: %v", ps)
	}
}

func TestRetriesWithBackoffUntilSuccess(t *testing.T) {
	rcv := newReceiver(t, func(n int, _ string) int {
		if n <= 2 {
			return 503
		}
		return 200
	})
	b := setup(t, nil, nil, settingsJSON(pushConfig("p", rcv.URL, "true")), outbound.Options{})
	b.write(t, "r1", `{"v":1}`)
	steps := []time.Duration{10 * time.Second, 20 * time.Second}
	for i, want := range steps {
		o := b.outcome(t)
		if o.Sent || o.Status != 503 {
			t.Fatalf("attempt %d: %+v", i+1, o)
		}
		p := b.push(t, "r1")
		if got := time.Duration(p.NextAt-b.clk.Now().UnixMilli()) * time.Millisecond; got != want || p.Attempts != i+1 || p.LastStatus != 503 {
			t.Fatalf("attempt %d: next try in %v (want %v), %+v", i+1, got, want, p)
		}
		// Not due yet: a kick sends nothing.
		b.svc.Kick()
		b.clk.Add(want)
		b.svc.Kick()
	}
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("third attempt: %+v", o)
	}
	if p := b.push(t, "r1"); p.State != store.PushSent || p.Attempts != 3 || rcv.count() != 3 {
		t.Fatalf("after success: %+v, %d requests", p, rcv.count())
	}
}

func TestDeadLetterAndRequeue(t *testing.T) {
	var mu sync.Mutex
	healthy := false
	rcv := newReceiver(t, func(int, string) int {
		mu.Lock()
		defer mu.Unlock()
		if healthy {
			return 200
		}
		return 500
	})
	b := setup(t, nil, nil, settingsJSON(pushConfig("p", rcv.URL, "true")), outbound.Options{MaxAge: 25 * time.Second})
	b.write(t, "r1", `{"v":1}`)
	for i := 0; ; i++ {
		o := b.outcome(t)
		if o.Dead {
			break
		}
		if i > 5 {
			t.Fatal("never dead-lettered")
		}
		b.clk.Add(time.Duration(o.NextAt-b.clk.Now().UnixMilli()) * time.Millisecond)
		b.svc.Kick()
	}
	p := b.push(t, "r1")
	if p.State != store.PushDead || p.LastStatus != 500 || p.LastError == "" {
		t.Fatalf("dead push: %+v", p)
	}
	mu.Lock()
	healthy = true
	mu.Unlock()
	n, err := b.st.RequeuePushes(context.Background(), store.PushQuery{IDs: []int64{p.ID}}, b.clk.Now().UnixMilli())
	if err != nil || n != 1 {
		t.Fatalf("requeue: %d %v", n, err)
	}
	b.clk.Add(time.Hour) // past the destination's own back-off too
	b.svc.Kick()
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("after requeue: %+v", o)
	}
	if p := b.push(t, "r1"); p.State != store.PushSent {
		t.Fatalf("after requeue: %+v", p)
	}
}

func TestDeadDestinationDoesNotDelayHealthyOne(t *testing.T) {
	dead := newReceiver(t, nil)
	dead.hold = make(chan struct{}) // accepts connections and never answers until released
	healthy := newReceiver(t, nil)
	cfg := settingsJSON(pushConfig("dead", dead.URL, "true") + "," + pushConfig("healthy", healthy.URL, "true"))
	b := setup(t, nil, nil, cfg, outbound.Options{PerDestination: 2})
	const n = 30
	for i := 0; i < n; i++ {
		b.write(t, fmt.Sprintf("d%02d", i), `{"v":1}`)
	}
	for i := 0; i < n; i++ {
		select {
		case <-healthy.got:
		case <-time.After(wait):
			t.Fatalf("healthy destination got %d of %d while the other hangs", healthy.count(), n)
		}
	}
	if dead.count() != 0 {
		t.Fatal("the hanging destination answered")
	}
	close(dead.hold)
	for i := 0; i < n; i++ {
		<-dead.got
	}
}

func TestRestartMidQueueDeliversEachExactlyOnce(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) { testRestart(t, open) })
	}
}

func testRestart(t *testing.T, open storetest.Opener) {
	rcv := newReceiver(t, nil)
	st := open(t)
	if _, err := st.PutSettings(context.Background(), []byte(settingsJSON(pushConfig("p", rcv.URL, "true"))), ""); err != nil {
		t.Fatal(err)
	}
	first := setup(t, st, nil, "", outbound.Options{PerDestination: 1})
	const n = 40
	for i := 0; i < n; i++ {
		first.write(t, fmt.Sprintf("d%02d", i), `{"v":1}`)
	}
	for i := 0; i < 10; i++ {
		first.outcome(t)
	}
	first.stop() // mid-queue: in-flight requests finish and are recorded, the rest stay queued

	// A node that crashed holding a lease: its claim must be taken over once it expires.
	claimed, err := first.st.ClaimPushes(context.Background(), "http://"+rcv.Listener.Addr().String(), "crashed", first.clk.Now().UnixMilli(), first.clk.Now().Add(2*time.Minute).UnixMilli(), 3)
	if err != nil {
		t.Fatal(err)
	}
	second := setup(t, first.st, first.clk, "", outbound.Options{})
	left := n - rcv.count()
	for i := 0; i < left-len(claimed); i++ {
		if o := second.outcome(t); !o.Sent {
			t.Fatalf("after restart: %+v", o)
		}
	}
	second.clk.Add(3 * time.Minute)
	second.svc.Kick()
	for range claimed {
		second.outcome(t)
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bodies) != n || len(rcv.byDoc) != n {
		t.Fatalf("%d requests for %d docs, want %d each once", len(rcv.bodies), len(rcv.byDoc), n)
	}
	for doc, c := range rcv.byDoc {
		if c != 1 {
			t.Fatalf("%s delivered %d times", doc, c)
		}
	}
}

func TestSandboxStopsRunawayExpression(t *testing.T) {
	rcv := newReceiver(t, nil)
	cfg := settingsJSON(`"spin":{"relevant_to":"while(true){}","destination":{"base_url":"` + rcv.URL + `","path":"/x"},"mapping":{"id":"doc._id"}},` +
		`"loop":{"relevant_to":"true","destination":{"base_url":"` + rcv.URL + `","path":"/x"},"mapping":{"id":"doc._id","x":{"expr":"var a = []; while (true) { a.push(a.length) }"}}},` +
		pushConfig("ok", rcv.URL, "true"))
	b := setup(t, nil, nil, cfg, outbound.Options{})
	b.write(t, "r1", `{"v":1}`)
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("the healthy config: %+v", o)
	}
	b.drained(t)
	byConfig := map[string]store.Push{}
	ps, _ := b.st.ListPushes(context.Background(), store.PushQuery{DocID: "r1"})
	for _, p := range ps {
		byConfig[p.Config] = p
	}
	if p := byConfig["ok"]; p.State != store.PushSent {
		t.Fatalf("ok: %+v", p)
	}
	// The stopped evaluations fail alone and are queued to be evaluated again, visibly.
	for name, eval := range map[string]string{"spin": store.EvalRelevance, "loop": store.EvalMapping} {
		p := byConfig[name]
		if p.State != store.PushPending || p.Eval != eval || !strings.Contains(p.LastError, "evaluation interrupted") || p.Attempts != 1 {
			t.Fatalf("%s: %+v", name, p)
		}
	}
	if v := testutilCount(t, b.svc, "spin", "sandbox") + testutilCount(t, b.svc, "loop", "sandbox"); v != 2 {
		t.Fatalf("sandbox failures counted: %v", v)
	}
	// Their retries are stopped again and back off; nothing is sent.
	b.clk.Add(11 * time.Second)
	b.svc.Kick()
	for i := 0; i < 2; i++ {
		if o := b.outcome(t); o.Sent || !o.Attempted || !strings.Contains(o.Error, "evaluation interrupted") {
			t.Fatalf("retry: %+v", o)
		}
	}
	if rcv.count() != 1 {
		t.Fatalf("%d requests", rcv.count())
	}
}

// TestMappingErrorIsRetriedOnTheCurrentDocument: a payload that cannot be built is queued
// (as CHT queues it) and built again from the document as it is at the next try.
func TestMappingErrorIsRetriedOnTheCurrentDocument(t *testing.T) {
	rcv := newReceiver(t, nil)
	cfg := settingsJSON(`"p":{"relevant_to":"true","destination":{"base_url":"` + rcv.URL + `","path":"/x"},"mapping":{"id":"doc._id","n":"doc.fields.n"}}`)
	b := setup(t, nil, nil, cfg, outbound.Options{})
	b.write(t, "r1", `{"fields":{}}`)
	b.drained(t)
	p := b.push(t, "r1")
	if p.State != store.PushPending || p.Eval != store.EvalMapping || p.LastError != "Mapping error for 'p/n' on source document 'r1': cannot find 'doc.fields.n' on source document" {
		t.Fatalf("queued: %+v", p)
	}
	// The document gains the field without the service seeing the write (as if it had been
	// written while the service was down and its outbox entry consumed).
	b.stop()
	d, _ := b.st.GetDoc(context.Background(), "r1")
	res, err := b.st.WriteDocs(context.Background(), []store.DocWrite{{ID: "r1", Rev: d.Rev, Fields: []byte(`{"fields":{"n":5}}`)}})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	if err := b.st.DeleteDocChanges(context.Background(), []int64{res[0].Seq}); err != nil {
		t.Fatal(err)
	}
	b.clk.Add(11 * time.Second)
	b = setup(t, b.st, b.clk, "", outbound.Options{})
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("retry: %+v", o)
	}
	if got := <-rcv.got; got != `{"id":"r1","n":5}` {
		t.Fatalf("sent %s", got)
	}
	if p := b.push(t, "r1"); p.State != store.PushSent || p.Eval != "" || string(p.Body) != `{"id":"r1","n":5}` || p.SentHash != p.Hash || p.Attempts != 2 {
		t.Fatalf("after retry: %+v", p)
	}
}

func TestRetryOfDeletedDocumentIsDeadLettered(t *testing.T) {
	rcv := newReceiver(t, func(int, string) int { return 500 })
	b := setup(t, nil, nil, settingsJSON(pushConfig("p", rcv.URL, "!doc._deleted")), outbound.Options{})
	b.write(t, "r1", `{"v":1}`)
	if o := b.outcome(t); o.Sent || o.Dead {
		t.Fatalf("first attempt: %+v", o)
	}
	d, _ := b.st.GetDoc(context.Background(), "r1")
	if _, err := b.st.WriteDocs(context.Background(), []store.DocWrite{{ID: "r1", Rev: d.Rev, Deleted: true}}); err != nil {
		t.Fatal(err)
	}
	b.svc.Notify()
	b.drained(t)
	b.clk.Add(time.Minute)
	b.svc.Kick()
	if o := b.outcome(t); !o.Dead || !strings.Contains(o.Error, "no longer exists") {
		t.Fatalf("retry after deletion: %+v", o)
	}
	if rcv.count() != 1 {
		t.Fatalf("%d requests", rcv.count())
	}
}

func TestCronPushWaitsForItsWindow(t *testing.T) {
	rcv := newReceiver(t, nil)
	cfg := settingsJSON(`"nightly":{"relevant_to":"true","cron":"0 3 * * *","destination":{"base_url":"` + rcv.URL + `","path":"/x"},"mapping":{"id":"doc._id"}}`)
	b := setup(t, nil, nil, cfg, outbound.Options{})
	b.write(t, "r1", `{"v":1}`) // at 10:00 UTC, far from 03:00
	b.drained(t)
	p := b.push(t, "r1")
	if want := time.Date(2026, 5, 2, 2, 55, 0, 0, time.UTC); p.State != store.PushPending || p.NextAt != want.UnixMilli() {
		t.Fatalf("queued %+v, want next try %v", p, want)
	}
	b.svc.Kick()
	b.clk.Add(16*time.Hour + 55*time.Minute) // 02:55 next day: inside the ±5 minute window
	b.svc.Kick()
	if o := b.outcome(t); !o.Sent {
		t.Fatalf("in the window: %+v", o)
	}
	if rcv.count() != 1 {
		t.Fatalf("%d requests", rcv.count())
	}
}

// TestFailingDestinationBacksOffAlone: after a failure a destination's lane pauses (its
// other pushes wait, no hammering), while another destination's pushes all go out.
func TestFailingDestinationBacksOffAlone(t *testing.T) {
	failing := newReceiver(t, func(int, string) int { return 503 })
	healthy := newReceiver(t, nil)
	cfg := settingsJSON(pushConfig("down", failing.URL, "true") + "," + pushConfig("up", healthy.URL, "true"))
	b := setup(t, nil, nil, cfg, outbound.Options{PerDestination: 2})
	const n = 20
	for i := 0; i < n; i++ {
		b.write(t, fmt.Sprintf("d%02d", i), `{"v":1}`)
	}
	for i := 0; i < n; i++ {
		select {
		case <-healthy.got:
		case <-time.After(wait):
			t.Fatalf("healthy destination got %d of %d", healthy.count(), n)
		}
	}
	b.drained(t)
	// The failing lane stopped after the requests it had in flight (at most PerDestination
	// in the first round; the clock has not moved, so no retry is due).
	if c := failing.count(); c > 2 {
		t.Fatalf("failing destination got %d requests before backing off", c)
	}
}

// TestFailingPathBacksOffAlone: an HTTP error backs off the URL that answered it, not its
// host: another path on the same host gets all its pushes while the failing path pauses.
func TestFailingPathBacksOffAlone(t *testing.T) {
	var mu sync.Mutex
	paths := map[string]int{}
	got := make(chan string, 100)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.ReadAll(req.Body)
		mu.Lock()
		paths[req.URL.Path]++
		mu.Unlock()
		if req.URL.Path == "/bad" {
			w.WriteHeader(http.StatusBadGateway)
		}
		got <- req.URL.Path
	}))
	defer rcv.Close()
	config := func(name, path string) string {
		return fmt.Sprintf(`%q:{"relevant_to":"true","destination":{"base_url":%q,"path":%q},"mapping":{"id":"doc._id"}}`, name, rcv.URL, path)
	}
	b := setup(t, nil, nil, settingsJSON(config("bad", "/bad")+","+config("good", "/good")), outbound.Options{PerDestination: 2})
	const n = 20
	for i := 0; i < n; i++ {
		b.write(t, fmt.Sprintf("d%02d", i), `{"v":1}`)
	}
	deadline := time.After(wait)
	for {
		mu.Lock()
		good := paths["/good"]
		mu.Unlock()
		if good == n {
			break
		}
		select {
		case <-got:
		case <-deadline:
			t.Fatalf("the healthy path got %d of %d pushes while another path on its host fails", good, n)
		}
	}
	b.drained(t)
	mu.Lock()
	defer mu.Unlock()
	if paths["/bad"] > 2 {
		t.Fatalf("failing path got %d requests before backing off", paths["/bad"])
	}
}
