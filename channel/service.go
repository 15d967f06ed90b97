package channel

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"careflow/runtime"
	"careflow/secret"
	"careflow/store"
)

// Service runs the provider channels of one node: their receive endpoints, their senders,
// their logs.
type Service struct {
	RT     *runtime.Runtime
	Store  store.ChannelStore
	Box    *secret.Box
	Log    *slog.Logger
	Client *http.Client
	// PublicURL is the base of the URLs providers call back (status callbacks, media), such
	// as https://careflow.example.org.
	PublicURL func() string
	// LogRetention bounds how long channel logs are kept (default 7 days).
	LogRetention time.Duration
	// Workers is how many sends one channel runs at once (default 32, as courier's senders).
	Workers int
	// LeaseFor is how long a claimed message is held before another sender may take it
	// (default DefaultLease); a node that dies mid-send gives its messages up after it.
	LeaseFor time.Duration
	// Lanes is how many claim rounds of one unlimited channel run at once, so that one
	// round's commit overlaps another's sends (default 4); a limited channel runs one.
	Lanes int
	// Batch is how many messages a channel claims at once when it has no tps limit (default 500).
	Batch int

	logs    chan *store.ChannelLog
	dedupe  *dedupe
	mu      sync.Mutex
	running map[string]*senderHandle
	senders sync.WaitGroup
	guard   *sentGuard
}

// NewService builds the channels of a node; Run starts their senders.
func NewService(rt *runtime.Runtime, st store.ChannelStore, box *secret.Box, log *slog.Logger) *Service {
	return &Service{RT: rt, Store: st, Box: box, Log: log,
		Client:    &http.Client{Timeout: sendTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxIdleConns: 256}},
		PublicURL: func() string { return "" }, LogRetention: 7 * 24 * time.Hour, Workers: 32, Batch: 500, Lanes: 4, LeaseFor: DefaultLease,
		logs: make(chan *store.ChannelLog, 20000), dedupe: newDedupe(), running: map[string]*senderHandle{},
		guard: newSentGuard()}
}

// sendTimeout is the budget of one provider request (courier gives a send 35 s).
const sendTimeout = 35 * time.Second

// Routes adds the channel endpoints to mux.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/c/{type}/{uuid}/{action}", s.receive)
	mux.HandleFunc("GET /c/media/{uuid}", s.media)
	s.relayerRoutes(mux)
}

// channelFor finds a live channel of type t by UUID, with its opened config.
func (s *Service) channelFor(ctx context.Context, t *Type, uuid string) (*store.Channel, Config, error) {
	ch, err := s.RT.Store.GetChannel(ctx, uuid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (ch.Deleted || ch.Type != t.Code)) {
		return nil, nil, errUnknownChannel
	}
	if err != nil {
		return nil, nil, err
	}
	cfg, err := OpenConfig(s.Box, t, ch)
	if err != nil {
		return nil, nil, err
	}
	return ch, cfg, nil
}

var errUnknownChannel = errors.New("channel not found")

func (s *Service) receive(w http.ResponseWriter, r *http.Request) {
	t := Lookup(r.PathValue("type"))
	if t == nil || t.Path != r.PathValue("type") {
		writeError(w, http.StatusBadRequest, "unknown channel type: "+r.PathValue("type"))
		return
	}
	fn := t.Actions[r.PathValue("action")]
	if fn == nil {
		writeError(w, http.StatusNotFound, "unknown action: "+r.PathValue("action"))
		return
	}
	ch, cfg, err := s.channelFor(r.Context(), t, r.PathValue("uuid"))
	if err != nil {
		if errors.Is(err, errUnknownChannel) {
			writeError(w, http.StatusBadRequest, "channel not found")
			return
		}
		s.Log.Error("channel lookup", "error", err)
		writeError(w, http.StatusInternalServerError, "channel could not be read")
		return
	}
	if len(ch.Roles) > 0 && !slices.Contains(ch.Roles, "receive") {
		writeError(w, http.StatusBadRequest, "channel does not receive")
		return
	}
	req := newRequest(s, t, ch, cfg, w, r)
	fn(req)
	req.finish()
}

// How often the sending loop looks for channels without a sender: at most every
// discoverEvery after a message was queued, and every rediscoverEvery otherwise.
const (
	discoverEvery   = time.Second
	rediscoverEvery = 5 * time.Second
)

// Run runs the senders of every provider channel until ctx ends, and prunes old logs.
func (s *Service) Run(ctx context.Context) error {
	logCtx, stopLogs := context.WithCancel(context.WithoutCancel(ctx))
	logsDone := make(chan struct{})
	go func() {
		s.writeLogs(logCtx)
		close(logsDone)
	}()
	wake, stop := s.RT.SubscribeOutbox()
	defer stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	s.pruneLogs(ctx)
	// Looking for channels without a sender reads every workspace; the outbox wakes this loop
	// after every commit that queued a message (thousands a second under load), so the look
	// happens at most once per discoverEvery. A wake-up still reaches running senders at once,
	// and a channel added since the last look gets its sender within discoverEvery of the
	// first message queued for it.
	var lastDiscover time.Time
	discover := true
	for ctx.Err() == nil {
		if discover && time.Since(lastDiscover) >= discoverEvery {
			if err := s.startSenders(ctx); err != nil && ctx.Err() == nil {
				s.Log.Error("channel senders", "error", err)
			}
			lastDiscover, discover = time.Now(), false
		}
		d := rediscoverEvery
		if discover {
			d = max(time.Until(lastDiscover.Add(discoverEvery)), time.Millisecond)
		}
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
		case <-wake:
			s.wakeSenders()
			discover = true
		case <-timer.C:
			discover = true
		case <-prune.C:
			s.pruneLogs(ctx)
		}
		timer.Stop()
	}
	// Senders finish their round: answers providers gave are committed before the node stops.
	s.stopSenders()
	s.senders.Wait()
	stopLogs()
	<-logsDone
	fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.FlushLogs(fctx); err != nil {
		s.Log.Warn("storing channel logs at shutdown", "error", err)
	}
	return nil
}

func (s *Service) pruneLogs(ctx context.Context) {
	if n, err := s.Store.PruneChannelLogs(ctx, time.Now().Add(-s.LogRetention)); err != nil {
		s.Log.Warn("pruning channel logs", "error", err)
	} else if n > 0 {
		s.Log.Info("pruned channel logs", "count", n)
	}
}
