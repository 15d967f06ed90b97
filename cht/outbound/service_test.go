package outbound_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"careflow/cht/outbound"
	"careflow/store"
	"careflow/store/storetest"
)

// clock is the injected time: tests move it and kick the dispatcher instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receiver is a local destination that records what it is sent and answers with reply.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	byDoc  map[string]int
	reply  func(n int, body string) int // status for the n-th request (1-based)
	hold   chan struct{}                // when set, requests wait for it to close
	got    chan string
}

func newReceiver(t *testing.T, reply func(n int, body string) int) *receiver {
	r := &receiver{byDoc: map[string]int{}, reply: reply, got: make(chan string, 1000)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		if r.hold != nil {
			<-r.hold
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		n := len(r.bodies)
		status := 200
		if r.reply != nil {
			status = r.reply(n, string(b))
		}
		if status < 300 {
			var p struct{ ID string }
			json.Unmarshal(b, &p)
			r.byDoc[p.ID]++
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		r.got <- string(b)
	}))
	t.Cleanup(r.Server.Close)
	return r
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

type bundle struct {
	st       store.Store
	clk      *clock
	svc      *outbound.Service
	outcomes chan store.PushOutcome
	intakes  chan int
	cancel   context.CancelFunc
	done     chan error
}

func settingsJSON(configs string) string {
	return `{"transitions":{"mark_for_outbound":true},"outbound":{` + configs + `}}`
}

func pushConfig(name, baseURL, relevant string) string {
	return fmt.Sprintf(`%q:{"relevant_to":%q,"destination":{"base_url":%q,"path":"/hook"},"mapping":{"id":"doc._id","v":{"path":"doc.v","optional":true}}}`, name, relevant, baseURL)
}

func setup(t *testing.T, st store.Store, clk *clock, settings string, opts outbound.Options) *bundle {
	t.Helper()
	if st == nil {
		st = storetest.OpenSQLite(t)
		if _, err := st.PutSettings(context.Background(), []byte(settings), ""); err != nil {
			t.Fatal(err)
		}
	}
	if clk == nil {
		clk = &clock{t: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	}
	b := &bundle{st: st, clk: clk, outcomes: make(chan store.PushOutcome, 1000), intakes: make(chan int, 1000), done: make(chan error, 1)}
	opts.Now = clk.Now
	opts.Jitter = func() float64 { return 0 }
	opts.OnOutcome = func(o store.PushOutcome) { b.outcomes <- o }
	opts.OnIntake = func(n int) { b.intakes <- n }
	src := func(ctx context.Context) ([]byte, error) {
		s, err := st.GetSettings(ctx)
		return s.Body, err
	}
	sender := outbound.NewSender(nil)
	b.svc = outbound.NewService(st, src, sender, opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	go func() { b.done <- b.svc.Run(ctx) }()
	t.Cleanup(b.stop)
	return b
}

func (b *bundle) stop() {
	if b.cancel != nil {
		b.cancel()
		<-b.done
		b.cancel = nil
	}
}

func (b *bundle) write(t *testing.T, id, fields string) {
	t.Helper()
	rev := ""
	if d, err := b.st.GetDoc(context.Background(), id); err == nil {
		rev = d.Rev
	}
	res, err := b.st.WriteDocs(context.Background(), []store.DocWrite{{ID: id, Rev: rev, Fields: []byte(fields)}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("write %s: %v %v", id, err, res)
	}
	b.svc.Notify()
}

const wait = 30 * time.Second // a guard against hanging, not a speed assertion

func (b *bundle) outcome(t *testing.T) store.PushOutcome {
	t.Helper()
	select {
	case o := <-b.outcomes:
		return o
	case <-time.After(wait):
		t.Fatal("no push outcome")
	}
	return store.PushOutcome{}
}

// drained waits until intake has consumed every outbox entry written so far.
func (b *bundle) drained(t *testing.T) {
	t.Helper()
	for {
		left, err := b.st.ReadDocChanges(context.Background(), 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			return
		}
		select {
		case <-b.intakes:
		case <-time.After(wait):
			t.Fatal("intake did not consume the outbox")
		}
	}
}

func (b *bundle) push(t *testing.T, doc string) store.Push {
	t.Helper()
	ps, err := b.st.ListPushes(context.Background(), store.PushQuery{DocID: doc})
	if err != nil || len(ps) != 1 {
		t.Fatalf("pushes of %s: %v %v", doc, ps, err)
	}
	return ps[0]
}
