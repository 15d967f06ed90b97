package runtime

import (
	"context"
	"sync"
	"time"

	"careflow/store"
)

// contactWorker leases contacts with queued tasks, handles them and commits what they
// produced, until ctx ends. Several run per node; the store's leases keep any contact with one
// worker of one node at a time.
func (r *Runtime) contactWorker(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := r.workOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.Log.Error("contact worker", "error", err)
			if !sleep(ctx, time.Second, nil) {
				return
			}
			continue
		}
		if n == 0 && !sleep(ctx, r.Config.PollEvery, r.wake) {
			return
		}
	}
}

// workOnce runs one claim-handle-commit round and returns how many contacts it handled.
func (r *Runtime) workOnce(ctx context.Context) (int, error) {
	now := r.Clock.Now()
	works, err := r.Store.ClaimContacts(ctx, r.owner, now, now.Add(r.Config.LeaseFor), r.Config.ClaimBatch)
	if err != nil || len(works) == 0 {
		return 0, err
	}
	// Work is finished and committed even if ctx ends meanwhile: a half-handled batch
	// would only be redone after its lease ran out.
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	ids := make([]int64, len(works))
	for i, w := range works {
		ids[i] = w.Contact.ID
	}
	go r.renewLeases(wctx, ids)
	batch := newBatchCache(r)
	scenes := make([]*store.Scene, 0, len(works))
	var failed []int64
	for _, work := range works {
		scene, err := r.handleContact(wctx, batch, work)
		if err != nil {
			r.Log.Error("handling contact", "contact", work.Contact.ID, "error", err)
			if r.failures.note(work.Tasks) < maxTaskAttempts {
				failed = append(failed, work.Contact.ID)
				continue
			}
			// A task that fails every time would hold up the contact's later messages
			// for good: after the last attempt it is dropped (messages stay in the inbox).
			r.Log.Error("dropping contact tasks after repeated failures", "contact", work.Contact.ID, "tasks", len(work.Tasks))
			scene = dropScene(work)
		}
		r.failures.forget(work.Tasks)
		scenes = append(scenes, scene)
	}
	if len(failed) > 0 {
		if err := r.Store.ReleaseContacts(wctx, r.owner, failed); err != nil {
			r.Log.Error("releasing contacts", "error", err)
		}
	}
	if len(scenes) == 0 {
		return len(works), nil
	}
	errs, err := r.Store.CommitScenes(wctx, r.owner, scenes, r.Clock.Now())
	if err != nil {
		return 0, err
	}
	if r.Committed != nil {
		r.Committed(scenes, errs, time.Now())
	}
	sent, queued := false, false
	var release []int64
	for i, e := range errs {
		if e != nil {
			r.Log.Error("committing contact", "contact", scenes[i].ContactID, "error", e)
			release = append(release, scenes[i].ContactID)
			continue
		}
		if len(scenes[i].MsgsOut) > 0 {
			sent = true
		}
		if len(scenes[i].ResthookUnsubscribes) > 0 {
			r.Invalidate(scenes[i].WorkspaceID) // the next sprint must not call a gone subscriber
		}
		if len(scenes[i].Tasks) > 0 || len(scenes[i].Starts) > 0 || len(scenes[i].Broadcasts) > 0 {
			queued = true
		}
	}
	if len(release) > 0 {
		if err := r.Store.ReleaseContacts(wctx, r.owner, release); err != nil {
			r.Log.Error("releasing contacts", "error", err)
		}
	}
	if sent {
		r.notifyOutbox()
	}
	if queued {
		r.Wake()
		r.wakeResolvers()
	}
	return len(works), nil
}

// batchCache holds what the contacts of one claim share: starts and broadcasts their tasks
// point at, loaded once per batch.
type batchCache struct {
	rt         *Runtime
	starts     map[int64]*store.FlowStart
	broadcasts map[int64]*store.Broadcast
	// events and campaigns are campaign fires' events (nil: deleted) and their campaigns.
	events    map[int64]*store.CampaignEvent
	campaigns map[int64]*store.Campaign
}

func newBatchCache(r *Runtime) *batchCache {
	return &batchCache{rt: r, starts: map[int64]*store.FlowStart{}, broadcasts: map[int64]*store.Broadcast{}}
}

func (b *batchCache) start(ctx context.Context, id int64) (*store.FlowStart, error) {
	if s, ok := b.starts[id]; ok {
		return s, nil
	}
	s, err := b.rt.Store.GetStart(ctx, id)
	if err != nil {
		return nil, err
	}
	b.starts[id] = s
	return s, nil
}

func (b *batchCache) broadcast(ctx context.Context, id int64) (*store.Broadcast, error) {
	if s, ok := b.broadcasts[id]; ok {
		return s, nil
	}
	s, err := b.rt.Store.GetBroadcast(ctx, id)
	if err != nil {
		return nil, err
	}
	b.broadcasts[id] = s
	return s, nil
}

// maxTaskAttempts is how often a contact's tasks are tried before being dropped (mailroom
// drops a contact task after 3 failed attempts).
const maxTaskAttempts = 3

// taskFailures counts failed attempts per first task of a contact, in memory: after a crash
// every task gets its attempts again, which errs on the side of not dropping work.
type taskFailures struct {
	mu sync.Mutex
	n  map[int64]int
}

func (f *taskFailures) note(tasks []*store.ContactTask) int {
	if len(tasks) == 0 {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == nil {
		f.n = map[int64]int{}
	}
	f.n[tasks[0].ID]++
	return f.n[tasks[0].ID]
}

func (f *taskFailures) forget(tasks []*store.ContactTask) {
	if len(tasks) == 0 {
		return
	}
	f.mu.Lock()
	delete(f.n, tasks[0].ID)
	f.mu.Unlock()
}

// dropScene finishes a contact's tasks without running anything: its messages are handled
// (they stay in the inbox) and the tasks are deleted.
func dropScene(work *store.ContactWork) *store.Scene {
	sc := &store.Scene{WorkspaceID: work.Contact.WorkspaceID, ContactID: work.Contact.ID, DoneTasks: work.Tasks}
	for _, t := range work.Tasks {
		if t.Type == store.TaskMsg {
			sc.MsgsHandled = append(sc.MsgsHandled, &store.Msg{ID: t.RefID, Status: store.MsgHandled, Visibility: "visible"})
		}
	}
	return sc
}

// renewLeases keeps a batch's contacts leased while it is being handled (until ctx ends), so a
// batch slowed by webhooks is never taken over by another worker halfway.
func (r *Runtime) renewLeases(ctx context.Context, ids []int64) {
	every := r.Config.LeaseFor / 3
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			until := r.Clock.Now().Add(r.Config.LeaseFor)
			if _, err := r.Store.RenewContactLeases(ctx, r.owner, ids, until); err != nil && ctx.Err() == nil {
				r.Log.Error("renewing contact leases", "error", err)
			}
		}
	}
}
