package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"careflow/store"
	"careflow/store/sqlite"
	"careflow/store/sqlstore"
)

var bctx = context.Background()

// Real flows and channels are named by UUID; the row sizes measured depend on it.
const flowUUID, channelUUID = "5c3fc5a1-05b4-4a52-9d8c-8a3f0e7f1b2c", "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"

func openBench(b *testing.B) (*sqlstore.Store, *store.Workspace) {
	b.Helper()
	s, err := sqlite.Open(bctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	w := &store.Workspace{Name: "bench"}
	if err := s.CreateWorkspace(bctx, w); err != nil {
		b.Fatal(err)
	}
	return s, w
}

// incoming makes n messages from new URNs, numbered from first.
func incoming(ws int64, first, n int) []*store.Incoming {
	in := make([]*store.Incoming, n)
	for i := range in {
		in[i] = &store.Incoming{WorkspaceID: ws, URN: store.NewContactURN{Identity: fmt.Sprintf("tel:+2547%08d", first+i), ChannelUUID: channelUUID},
			Msg:  &store.Msg{Text: "hello there", ChannelUUID: channelUUID, ExternalID: fmt.Sprint("ext", first+i)},
			Task: store.ContactTask{Type: store.TaskMsg, Payload: []byte(`{"text":"hello there"}`)}}
	}
	return in
}

// benchScene is a typical scene: the contact written, a session and a run waiting, the
// message handled, a reply queued, two fires, the task done.
func benchScene(cw *store.ContactWork, now time.Time) *store.Scene {
	c := *cw.Contact
	session := fmt.Sprintf("0190f5e0-0000-7000-8000-%012d", c.ID)
	c.CurrentSessionUUID, c.CurrentFlowUUID, c.LastSeenOn = session, flowUUID, &now
	state := make([]byte, 600)
	return &store.Scene{
		WorkspaceID: c.WorkspaceID, ContactID: c.ID,
		Contact:  &store.ContactUpdate{Contact: &c},
		Sessions: []*store.Session{{UUID: session, Type: "messaging", Status: "waiting", State: state, CurrentFlow: flowUUID, LastSprintUUID: session}},
		Runs: []*store.Run{{UUID: fmt.Sprintf("0190f5e0-0000-7000-9000-%012d", c.ID), SessionUUID: session, FlowUUID: flowUUID, Status: "waiting", Responded: true,
			Results: []byte(`{"name":{"value":"hello there","category":"All Responses"}}`),
			Path:    []byte(`[{"uuid":"a","node_uuid":"n1","arrived_on":"2026-03-01T12:00:00Z"},{"uuid":"b","node_uuid":"n2","arrived_on":"2026-03-01T12:00:00Z"}]`)}},
		MsgsHandled:       []*store.Msg{{ID: cw.Tasks[0].RefID, FlowUUID: flowUUID}},
		MsgsOut:           []*store.Msg{{URN: c.URNs[0].Identity, ChannelUUID: channelUUID, Text: "Thanks! How old are you?", Status: store.MsgQueued}},
		ClearSessionFires: true,
		Fires: []*store.Fire{
			{Type: store.FireExpire, SessionUUID: session, SprintUUID: session, FireOn: now.Add(72 * time.Hour)},
			{Type: store.FireSessionExpire, SessionUUID: session, SprintUUID: session, FireOn: now.Add(30 * 24 * time.Hour)},
		},
		DoneTasks: cw.Tasks,
	}
}

// BenchmarkCommitScenes commits batches of 500 typical scenes; scenes/s is the figure.
func BenchmarkCommitScenes(b *testing.B) {
	s, w := openBench(b)
	const batch = 500
	now := time.Now()
	n := 0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := s.ReceiveIncoming(bctx, incoming(w.ID, n, batch), now); err != nil {
			b.Fatal(err)
		}
		n += batch
		work, err := s.ClaimContacts(bctx, "bench", now, now.Add(time.Minute), batch)
		if err != nil || len(work) != batch {
			b.Fatalf("claim: %d %v", len(work), err)
		}
		scenes := make([]*store.Scene, len(work))
		for i, cw := range work {
			scenes[i] = benchScene(cw, now)
		}
		b.StartTimer()
		before := cpuTime()
		errs, err := s.CommitScenes(bctx, "bench", scenes, now)
		if err != nil || errs[0] != nil {
			b.Fatal(err, errs[0])
		}
		cpu += cpuTime() - before
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "scenes/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/scene")
}

// cpuTime is the process's CPU time so far. On a machine shared with other work, CPU time
// per scene compares runs where wall-clock rates swing with the load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReceiveIncoming stores batches of 250 messages from new contacts.
func BenchmarkReceiveIncoming(b *testing.B) { benchReceive(b, true) }

// BenchmarkReceiveKnown stores batches of 250 messages from contacts it has seen.
func BenchmarkReceiveKnown(b *testing.B) { benchReceive(b, false) }

func benchReceive(b *testing.B, newContacts bool) {
	s, w := openBench(b)
	const batch = 250
	now := time.Now()
	n := 0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		first := 0
		if newContacts {
			first = n
		}
		in := incoming(w.ID, first, batch)
		b.StartTimer()
		before := cpuTime()
		if _, err := s.ReceiveIncoming(bctx, in, now); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - before
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/item")
}

// BenchmarkQueueStart queues a start to 100,000 contacts.
func BenchmarkQueueStart(b *testing.B) {
	s, w := openBench(b)
	ids := make([]int64, 100_000)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	for b.Loop() {
		b.StopTimer()
		st := &store.FlowStart{WorkspaceID: w.ID, FlowUUID: flowUUID, Type: "api"}
		if err := s.CreateStart(bctx, st); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.QueueStart(bctx, st.ID, ids, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWaitingContactBytes reports the disk a waiting contact takes: contact, URN,
// session (without state), run, one outgoing message and two fires, with their indexes.
func BenchmarkWaitingContactBytes(b *testing.B) {
	const batch, batches = 500, 40
	now := time.Now()
	var s *sqlstore.Store
	for b.Loop() {
		var w *store.Workspace
		s, w = openBench(b)
		for k := range batches {
			urns := make([]store.NewContactURN, batch)
			for i := range urns {
				urns[i] = store.NewContactURN{Identity: fmt.Sprintf("tel:+2547%08d", k*batch+i), ChannelUUID: channelUUID}
			}
			if _, _, err := s.GetOrCreateContacts(bctx, w.ID, urns, now); err != nil {
				b.Fatal(err)
			}
		}
		var scenes []*store.Scene
		for after := int64(0); ; {
			cs, err := s.ScanContacts(bctx, w.ID, after, batch)
			if err != nil {
				b.Fatal(err)
			}
			if len(cs) == 0 {
				break
			}
			after = cs[len(cs)-1].ID
			scenes = scenes[:0]
			for _, c := range cs {
				sc := benchScene(&store.ContactWork{Contact: c, Tasks: []*store.ContactTask{{}}}, now)
				sc.Sessions[0].State, sc.MsgsHandled, sc.DoneTasks = nil, nil, nil
				scenes = append(scenes, sc)
			}
			if _, err := s.CommitScenes(bctx, "", scenes, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := s.DB.ExecContext(bctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	var pages, size int64
	s.DB.QueryRowContext(bctx, `PRAGMA page_count`).Scan(&pages)
	s.DB.QueryRowContext(bctx, `PRAGMA page_size`).Scan(&size)
	b.ReportMetric(float64(pages*size)/float64(batch*batches), "bytes/contact")
}
