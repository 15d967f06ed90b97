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

// TestFullLaneDrainsWithoutPolling: more pushes than a lane claims at once are all delivered,
// exactly once, though the dispatcher's fallback poll never comes: the service wakes the
// dispatcher itself when it leaves pushes unclaimed, and a lane running low wakes it then.
func TestFullLaneDrainsWithoutPolling(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			rcv := newReceiver(t, nil)
			st := open(t)
			if _, err := st.PutSettings(context.Background(), []byte(settingsJSON(pushConfig("p", rcv.URL, "true"))), ""); err != nil {
				t.Fatal(err)
			}
			// One request at a time: the lane claims 16 and the rest wait in the queue.
			b := setup(t, st, nil, "", outbound.Options{PerDestination: 1, Poll: time.Hour})
			const n = 100
			writes := make([]store.DocWrite, n)
			for i := range writes {
				writes[i] = store.DocWrite{ID: fmt.Sprintf("d%03d", i), Fields: []byte(`{"v":1}`)}
			}
			if _, err := st.WriteDocs(context.Background(), writes); err != nil {
				t.Fatal(err)
			}
			b.svc.Notify()
			for i := 0; i < n; i++ {
				if o := b.outcome(t); !o.Sent {
					t.Fatalf("outcome %d: %+v", i, o)
				}
			}
			b.drained(t)
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			if len(rcv.bodies) != n || len(rcv.byDoc) != n {
				t.Fatalf("%d requests for %d docs, want %d each once", len(rcv.bodies), len(rcv.byDoc), n)
			}
		})
	}
}
