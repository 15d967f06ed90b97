package outbound_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"careflow/cht/outbound"
	"careflow/store"
	"careflow/store/storetest"
)

// TestNodesShareOneQueue runs two services (two careflow nodes) on one database: every push
// is delivered exactly once whichever node evaluates or claims it.
func TestNodesShareOneQueue(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			rcv := newReceiver(t, nil)
			st := open(t)
			if _, err := st.PutSettings(context.Background(), []byte(settingsJSON(pushConfig("p", rcv.URL, "true"))), ""); err != nil {
				t.Fatal(err)
			}
			a := setup(t, st, nil, "", outbound.Options{Node: "a", PerDestination: 2})
			b := setup(t, st, a.clk, "", outbound.Options{Node: "b", PerDestination: 2})
			const n = 60
			for i := 0; i < n; i++ {
				a.write(t, fmt.Sprintf("d%02d", i), `{"v":1}`)
				b.svc.Notify()
			}
			for sent := 0; sent < n; {
				var o store.PushOutcome
				select {
				case o = <-a.outcomes:
				case o = <-b.outcomes:
				case <-time.After(wait):
					t.Fatalf("%d of %d delivered", sent, n)
				}
				if o.Sent {
					sent++
				}
			}
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			if len(rcv.bodies) != n || len(rcv.byDoc) != n {
				t.Fatalf("%d requests for %d docs, want %d each once", len(rcv.bodies), len(rcv.byDoc), n)
			}
		})
	}
}
