package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"careflow/store"
)

// Store is what the runtime keeps its state in.
type Store interface {
	store.Messaging
}

// Config tunes a Runtime; zero values take the defaults.
type Config struct {
	// Workers is the number of contact workers (default 2).
	Workers int
	// ClaimBatch is how many contacts a worker leases at once (default 200).
	ClaimBatch int
	// LeaseFor is how long a lease on contacts, starts and broadcasts lasts (default 1 min).
	LeaseFor time.Duration
	// PollEvery is how often idle workers look for work other nodes queued (default 250 ms).
	PollEvery time.Duration
	// AssetsCheckEvery is how often a cached workspace checks the store's assets version for
	// other nodes' changes (default 5 s, as mailroom caches org assets).
	AssetsCheckEvery time.Duration
	// TimerEvery is how often the timer table is polled (default 1 s).
	TimerEvery time.Duration
	// Prompts are the LLM prompts prompt() and the LLM functions read.
	Prompts map[string]string
	// SingleNode says no other node shares the store (SQLite): leases left by a crashed
	// process are dropped at start instead of waited out.
	SingleNode bool
}

// Runtime is careflow's messaging runtime.
type Runtime struct {
	Store    Store
	Log      *slog.Logger
	Clock    Clock
	Services Services
	Config   Config
	// Committed, when set, is told of every batch of scenes committed, with the time of the
	// commit (benchmarks measure receipt-to-reply latency with it).
	Committed func(scenes []*store.Scene, errs []error, at time.Time)
	// ImportCampaigns imports the campaigns of an export file (set by the campaigns work).
	ImportCampaigns func(ctx context.Context, wsID int64, campaigns []json.RawMessage) error

	owner    string
	ws       *workspaces
	failures taskFailures
	channels sync.Map // channel UUID → cachedChannel
	recv     *receiver

	wake         chan struct{}
	resolverWake chan struct{}
	outboxMu     sync.Mutex
	outboxSubs   map[chan struct{}]struct{}
}

// New builds a runtime on a store; Run starts its workers.
func New(st Store, log *slog.Logger, clock Clock, services Services, cfg Config) *Runtime {
	if log == nil {
		log = slog.Default()
	}
	if clock == nil {
		clock = wallClock{}
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.Workers, 2)
	def(&cfg.ClaimBatch, 200)
	if cfg.LeaseFor <= 0 {
		cfg.LeaseFor = time.Minute
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = 250 * time.Millisecond
	}
	if cfg.AssetsCheckEvery <= 0 {
		cfg.AssetsCheckEvery = 5 * time.Second
	}
	r := &Runtime{Store: st, Log: log, Clock: clock, Services: services, Config: cfg,
		owner: "node-" + NewUUID(), wake: make(chan struct{}, 1), resolverWake: make(chan struct{}, 2), outboxSubs: map[chan struct{}]struct{}{}}
	r.ws = &workspaces{rt: r, byID: map[int64]*Workspace{}, gen: map[int64]uint64{}, checkEvery: cfg.AssetsCheckEvery}
	r.recv = newReceiver(r)
	r.ImportCampaigns = r.ImportCampaignsFrom
	return r
}

// Owner is the name this node's leases carry.
func (r *Runtime) Owner() string { return r.owner }

// Run runs the runtime's workers until ctx ends: the receiver's group commit, the contact
// workers, the start and broadcast resolvers, the timer and schedule pollers, and the
// trimming of old resthook events.
func (r *Runtime) Run(ctx context.Context) error {
	if r.Config.SingleNode {
		if err := r.Store.ReleaseAllContactLeases(ctx); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	run := func(name string, fn func(ctx context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(ctx)
			r.Log.Debug("runtime worker stopped", "worker", name)
		}()
	}
	run("receiver", r.recv.run)
	for i := 0; i < r.Config.Workers; i++ {
		run("contacts", r.contactWorker)
	}
	run("starts", r.startResolver)
	run("broadcasts", r.broadcastResolver)
	run("timers", r.timerPoller)
	run("schedules", r.schedulePoller)
	run("resthook events", r.resthookTrimmer)
	<-ctx.Done()
	wg.Wait()
	// Leases held by this node are released so a restart (or another node) takes the work
	// at once instead of after the lease runs out.
	rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Store.ReleaseContacts(rctx, r.owner, nil); err != nil {
		r.Log.Warn("releasing contact leases", "error", err)
	}
	return nil
}

// Wake tells idle contact workers there is work (tasks were queued by this node).
func (r *Runtime) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// SubscribeOutbox returns a channel that is signalled whenever messages were queued to send,
// and a function to stop the subscription. Channel senders wait on it between polls.
func (r *Runtime) SubscribeOutbox() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	r.outboxMu.Lock()
	r.outboxSubs[ch] = struct{}{}
	r.outboxMu.Unlock()
	return ch, func() {
		r.outboxMu.Lock()
		delete(r.outboxSubs, ch)
		r.outboxMu.Unlock()
	}
}

func (r *Runtime) notifyOutbox() {
	r.outboxMu.Lock()
	for ch := range r.outboxSubs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	r.outboxMu.Unlock()
}

// sleep waits for d, a wake-up on ch, or the end of ctx; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration, ch <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-ch:
	case <-t.C:
	}
	return true
}

// ErrInvalid marks a caller's mistake (bad URN, unknown flow, oversize text): the API answers
// 400 with its text.
var ErrInvalid = errors.New("invalid")

// InvalidError is a caller's mistake with a message in the API's terms.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(format string, args ...any) error {
	return &InvalidError{Msg: sprintf(format, args...)}
}
