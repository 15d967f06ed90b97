// Package server assembles the running careflow: it opens the store and the secrets key, builds
// the shared services, lets each area (CHT API, outbound push, ...) wire its routes and
// background work through a registered module, and runs them until shut down.
//
// Lifecycle: 1. New opens everything and runs the modules in registration order; 2. Listen
// binds the address; 3. Serve runs HTTP and the background workers until its context ends,
// then drains requests and stops the workers; 4. Close releases the store.
package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"careflow/channel"
	"careflow/cht"
	"careflow/cht/outbound"
	"careflow/runtime"
	"careflow/secret"
	"careflow/store"
	"careflow/store/open"
)

// Config is what the server is started with.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:8080" or ":0".
	Addr string
	// DataDir holds the SQLite database and the secrets key file.
	DataDir string
	// DB is the store DSN; empty means DataDir/careflow.db.
	DB string
	// SecretKey, hex, overrides the key file in DataDir.
	SecretKey string
	// Logger receives the server's logs; nil means slog.Default().
	Logger *slog.Logger
	// Out receives messages meant for the operator at start-up (a first admin password).
	Out interface{ Write([]byte) (int, error) }
	// Demo asks the modules to load demonstration data (settings, users, contacts) when the
	// database is empty.
	Demo bool
	// Options carries module settings (outbound timeouts, ...), read by the modules that own them.
	Options map[string]string
	// Clock is the messaging runtime's clock; nil is the wall clock (tests move their own).
	Clock runtime.Clock
	// MessagingServices builds a workspace's engine services (webhooks, email, LLM); nil uses
	// the real ones configured from the workspace.
	MessagingServices runtime.Services
}

// Server is a running careflow.
type Server struct {
	Config  Config
	Log     *slog.Logger
	Store   store.Store
	Secrets *secret.Box
	Docs    *cht.Docs
	// Settings is the app settings service (CHT's settings doc); areas add validators to it.
	Settings *cht.Settings
	// SigningKey signs session cookies and other tokens; it is derived from the secrets key so
	// every node sharing a database and key accepts the others' sessions.
	SigningKey []byte
	Mux        *http.ServeMux
	// Metrics is the registry served at /metrics; every area registers its collectors here.
	Metrics *prometheus.Registry
	// Users authenticates requests for every area; the CHT module sets it.
	Users *cht.Users
	// Outbound is the outbound push service; the outbound module sets it.
	Outbound *outbound.Service
	// Runtime is the messaging runtime; the messaging module sets it.
	Runtime *runtime.Runtime
	// Channels runs the provider channels; the channels module sets it.
	Channels *channel.Service
	// Clock and MessagingServices are Config's, or their defaults.
	Clock             runtime.Clock
	MessagingServices runtime.Services

	workers  []worker
	closers  []func()
	listener net.Listener

	readTimeout, idleTimeout time.Duration
	metricsAddr              string
	metricsListener          net.Listener
}

type worker struct {
	name string
	run  func(ctx context.Context) error
}

type module struct {
	name  string
	order int
	setup func(s *Server) error
}

var modules []module

// RegisterModule adds an area's wiring; modules run in ascending order, then by name. Order
// lets an area that others build on (users and auth) come first.
func RegisterModule(name string, order int, setup func(s *Server) error) {
	for _, m := range modules {
		if m.name == name {
			panic("server: module registered twice: " + name)
		}
	}
	modules = append(modules, module{name: name, order: order, setup: setup})
}

// New opens the store and secrets and runs every module.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.DB == "" {
		cfg.DB = filepath.Join(cfg.DataDir, "careflow.db")
	}
	s := &Server{Config: cfg, Log: cfg.Logger, Mux: http.NewServeMux(), Clock: cfg.Clock, MessagingServices: cfg.MessagingServices}

	var key []byte
	var err error
	if cfg.SecretKey != "" {
		key, err = secret.ParseKey(cfg.SecretKey)
	} else {
		var created bool
		key, created, err = secret.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "secret.key"))
		if created {
			s.Log.Info("created a new secrets key", "file", filepath.Join(cfg.DataDir, "secret.key"))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("secrets key: %w", err)
	}
	if s.Secrets, err = secret.NewBox(key); err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("careflow session signing"))
	s.SigningKey = mac.Sum(nil)

	if s.Store, err = open.Open(ctx, cfg.DB); err != nil {
		return nil, err
	}
	s.Docs = cht.NewDocs(s.Store)
	s.Settings = cht.NewSettings(s.Store)
	s.Mux.HandleFunc("GET /health", s.health)
	s.Metrics = prometheus.NewRegistry()
	s.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.readTimeout, s.idleTimeout = 2*time.Minute, 2*time.Minute
	for _, err := range []error{durationOption(s, OptionReadTimeout, &s.readTimeout), durationOption(s, OptionIdleTimeout, &s.idleTimeout)} {
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	s.metricsAddr = option(s, OptionMetricsAddr)
	if s.metricsAddr == "" {
		s.Mux.Handle("GET /metrics", s.requireLogin(promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})))
	}

	ordered := append([]module(nil), modules...)
	sort.SliceStable(ordered, func(i, j int) bool {
		if ordered[i].order != ordered[j].order {
			return ordered[i].order < ordered[j].order
		}
		return ordered[i].name < ordered[j].name
	})
	for _, m := range ordered {
		if err := m.setup(s); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return s, nil
}

// Go adds background work that runs while the server serves. run must return when its context
// ends; an error it returns before that is logged and the work is restarted after a pause, so
// one failing worker never takes the server down.
func (s *Server) Go(name string, run func(ctx context.Context) error) {
	s.workers = append(s.workers, worker{name: name, run: run})
}

// OnClose adds a cleanup run by Close, in reverse order.
func (s *Server) OnClose(fn func()) { s.closers = append(s.closers, fn) }

// Listen binds the configured address and returns the bound one (useful with ":0"); with
// the metrics.addr option it binds that address too.
func (s *Server) Listen() (string, error) {
	l, err := net.Listen("tcp", s.Config.Addr)
	if err != nil {
		return "", fmt.Errorf("listen %s: %w", s.Config.Addr, err)
	}
	if s.metricsAddr != "" {
		ml, err := net.Listen("tcp", s.metricsAddr)
		if err != nil {
			l.Close()
			return "", fmt.Errorf("listen %s (%s): %w", s.metricsAddr, OptionMetricsAddr, err)
		}
		s.metricsListener = ml
	}
	s.listener = l
	return l.Addr().String(), nil
}

// MetricsAddr is the bound address of the metrics listener (the metrics.addr option), or "".
func (s *Server) MetricsAddr() string {
	if s.metricsListener == nil {
		return ""
	}
	return s.metricsListener.Addr().String()
}

// Handler is the server's HTTP handler (routes plus request logging and panic recovery).
func (s *Server) Handler() http.Handler { return s.logRequests(s.recoverer(s.Mux)) }

// httpServer is an http.Server with careflow's connection limits: a request, headers and
// body, must arrive within the read timeout, so a slow sender cannot hold a connection and
// its buffers open; idle connections close after the idle timeout.
func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: s.readTimeout,
		IdleTimeout: s.idleTimeout, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn)}
}

// Serve runs HTTP and the workers until ctx ends, then shuts down gracefully: it stops taking
// requests, lets those in flight finish (up to 15 s), and waits for the workers.
func (s *Server) Serve(ctx context.Context) error {
	if s.listener == nil {
		if _, err := s.Listen(); err != nil {
			return err
		}
	}
	srv := s.httpServer(s.Handler())
	var msrv *http.Server
	if s.metricsListener != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{}))
		msrv = s.httpServer(mux)
		go msrv.Serve(s.metricsListener)
	}
	wctx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.runWorker(wctx, w)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.listener) }()
	s.Log.Info("careflow listening", "addr", s.listener.Addr().String(), "store", s.Store.Backend())
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutCtx); serr != nil && err == nil {
		err = serr
	}
	if msrv != nil {
		msrv.Shutdown(shutCtx)
	}
	stopWorkers()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	s.Log.Info("careflow stopped")
	return err
}

func (s *Server) runWorker(ctx context.Context, w worker) {
	for {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return w.run(ctx)
		}()
		if ctx.Err() != nil {
			return
		}
		s.Log.Error("worker stopped; restarting", "worker", w.name, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// Close releases everything New opened.
func (s *Server) Close() error {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	if s.Store != nil {
		return s.Store.Close()
	}
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := s.Store.Ping(ctx); err != nil {
		s.Log.Error("health: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","store":%q,"error":"database unreachable"}`+"\n", s.Store.Backend())
		return
	}
	fmt.Fprintf(w, `{"status":"ok","store":%q}`+"\n", s.Store.Backend())
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.Log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", rec)
				http.Error(w, `{"code":500,"error":"Server error"}`, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Version is careflow's version, set at build time with -ldflags "-X careflow/server.Version=...".
var Version = "dev"
