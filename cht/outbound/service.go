package outbound

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"careflow/store"
)

// Store is what the service needs of the database: documents and their outbox, and the queue.
type Store interface {
	GetDocs(ctx context.Context, ids []string) ([]store.Doc, error)
	ReadDocChanges(ctx context.Context, after int64, limit int) ([]store.DocChange, error)
	store.OutboundStore
}

// Options tune delivery; zero members take the defaults in brackets.
type Options struct {
	BackoffMin     time.Duration // first retry delay [10 s]
	BackoffMax     time.Duration // longest retry delay [1 h]
	MaxAge         time.Duration // retries stop and the push is dead-lettered after this [72 h]
	PerDestination int           // concurrent requests per destination [8]
	Lease          time.Duration // how long a claim is held before another node may take it [2 min]
	Batch          int           // outbox entries evaluated per transaction [256]
	Poll           time.Duration // fallback wake-up when nothing signals [1 s]
	Node           string        // lease owner name [random]
	Now            func() time.Time
	Jitter         func() float64 // in [0,1) [math/rand]
	// OnOutcome, if set, is called after each attempt outcome is recorded (tests wait on it).
	OnOutcome func(store.PushOutcome)
	// OnIntake, if set, is called after each intake batch with the outbox entries consumed.
	OnIntake func(consumed int)
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.BackoffMin, 10*time.Second)
	def(&o.BackoffMax, time.Hour)
	def(&o.MaxAge, 72*time.Hour)
	def(&o.Lease, 2*time.Minute)
	def(&o.Poll, time.Second)
	if o.PerDestination <= 0 {
		o.PerDestination = 8
	}
	if o.Batch <= 0 {
		o.Batch = 256
	}
	if o.Node == "" {
		b := make([]byte, 6)
		rand.Read(b)
		o.Node = "node-" + hex.EncodeToString(b)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = mrand.Float64
	}
}

// SettingsSource returns the current app settings JSON.
type SettingsSource func(ctx context.Context) ([]byte, error)

// Service is outbound push: intake (outbox → queue), dispatch (queue → destinations), acks.
type Service struct {
	Store    Store
	Settings SettingsSource
	Sender   *Sender
	Sandbox  *Sandbox
	Hydrator Hydrator
	Log      *slog.Logger
	Metrics  *Metrics
	Opts     Options

	intakeWake   chan struct{}
	dispatchWake chan struct{}
	ackWake      chan struct{} // outcomes are waiting to be recorded
	acksWaiting  atomic.Bool   // an outcome has woken the committer since it last drained acks
	batchDone    chan struct{} // the committer finished a batch
	committed    atomic.Int64  // batches the committer has finished
	acks         chan store.PushOutcome
	unsaved      []store.PushOutcome // outcomes a failed transaction could not record yet
	inflight     sync.WaitGroup

	// mayBeDue says the queue may hold pushes due now or soon that no lane holds (left over
	// by a full lane, put back, failed): only then does a lane running low or dry wake the
	// dispatcher, which otherwise polled the queue after every handful of pushes.
	mayBeDue atomic.Bool

	mu      sync.Mutex
	lanes   map[string]*lane
	sendCtx context.Context // set while the dispatcher runs
	cfg     *configCache
	cfgAt   time.Time // when cfg was last found current
}

// NewService wires a service; call Run to start it.
func NewService(st Store, settings SettingsSource, sender *Sender, opts Options, log *slog.Logger) *Service {
	opts.defaults()
	if log == nil {
		log = slog.Default()
	}
	s := &Service{
		Store: st, Settings: settings, Sender: sender, Sandbox: NewSandbox(), Hydrator: LineageHydrator{Docs: st},
		Log: log, Opts: opts,
		intakeWake: make(chan struct{}, 1), dispatchWake: make(chan struct{}, 1), ackWake: make(chan struct{}, 1), batchDone: make(chan struct{}, 1),
		acks: make(chan store.PushOutcome, 1024), lanes: map[string]*lane{},
	}
	s.Metrics = NewMetrics(nil, st.CountPushes)
	return s
}

// Notify tells the service documents were written (Docs.OnWrite); it never blocks.
func (s *Service) Notify() { signal(s.intakeWake) }

// Kick tells the dispatcher to look at the queue now (after a re-queue, or a test's clock move).
func (s *Service) Kick() { signal(s.dispatchWake) }

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run works until ctx ends: 1. the writer evaluates written documents into the queue,
// claiming at once what a lane has room for, and records attempt outcomes, one transaction
// per round; 2. the dispatcher claims due retries per destination; 3. lane workers send. On
// the way out it lets requests in flight finish, records their outcomes and releases its
// remaining leases, so a restart resends nothing that was acknowledged.
func (s *Service) Run(ctx context.Context) error {
	wctx, stopWriter := context.WithCancel(context.WithoutCancel(ctx))
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		s.writeLoop(ctx, wctx)
	}()
	s.dispatchLoop(ctx)
	s.inflight.Wait()
	stopWriter()
	<-writerDone
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return s.Store.ReleasePushes(rctx, s.Opts.Node)
}

func (s *Service) wait(ctx context.Context, wake chan struct{}, d time.Duration) {
	if d > s.Opts.Poll || d <= 0 {
		d = s.Opts.Poll
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-wake:
	case <-t.C:
	}
}

// Requeue makes dead pushes matching q pending again, due now, and wakes the dispatcher.
func (s *Service) Requeue(ctx context.Context, q store.PushQuery) (int64, error) {
	n, err := s.Store.RequeuePushes(ctx, q, s.Opts.Now().UnixMilli())
	if err == nil && n > 0 {
		s.mu.Lock()
		for _, l := range s.lanes {
			l.pausedUntil = time.Time{} // an admin asked for it now
		}
		s.mu.Unlock()
		s.Kick()
	}
	return n, err
}
