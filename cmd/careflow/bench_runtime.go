package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"careflow/internal/sharedpath"
	"careflow/runtime"
	"careflow/server"
	"careflow/store"
)

// `careflow bench runtime` runs the messaging runtime for real: an in-process server on a fresh
// database, driven over HTTP through the test channel. Scenarios (one JSON line each):
//
//	inbound  N contacts each send three messages into two_questions (a first message a
//	         catch-all trigger answers by starting the flow, then "I like blue!" and "Coke");
//	         messages/s and p50/p99 from receipt to the reply's commit.
//	start    a flow start to a group of N contacts, until every first message is queued.
//	waiting  N contacts left waiting in the flow: disk and resident memory while they wait.
func init() {
	registerBench("runtime", "messaging runtime: -scenario inbound,start,waiting [-n N] [-db DSN] [-peer goflow-peer]", runBenchRuntime)
}

type runtimeBench struct {
	stdout, stderr io.Writer
	dsn, dir       string
	flowFile       string
	srv            *server.Server
	base           string
	stop           context.CancelFunc
	done           chan error
	ws             *store.Workspace
	channel        *store.Channel
	flowUUID       string

	mu        sync.Mutex
	latencies []time.Duration
	handled   atomic.Int64
}

func runBenchRuntime(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench runtime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenarios := fs.String("scenario", "inbound,start,waiting", "comma-separated scenarios")
	n := fs.Int("n", 0, "contacts per scenario (default: inbound 20000, start 100000, waiting 1000000)")
	dsn := fs.String("db", "", "database: empty for SQLite in a temporary folder, or a postgres:// URL (tables are created in it)")
	flowFile := fs.String("assets", "", "assets with the flow (default: the shared runner fixture two_questions.json)")
	peer := fs.String("peer", "", "goflow-peer binary to compare the inbound scenario with (run with -persist on the same flow)")
	clients := fs.Int("clients", 256, "concurrent HTTP clients (each plays a share of the contacts)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile (allocations since start-up) to this file at the end")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *flowFile == "" {
		p, err := sharedpath.Path("conformance", "goflow", "runner", "two_questions.json")
		if err != nil {
			return fmt.Errorf("bench runtime: no -assets given and %w", err)
		}
		*flowFile = p
	}
	for _, sc := range strings.Split(*scenarios, ",") {
		b := &runtimeBench{stdout: stdout, stderr: stderr, dsn: *dsn, flowFile: *flowFile}
		var err error
		switch strings.TrimSpace(sc) {
		case "inbound":
			err = b.inbound(ctx, pick(*n, 20000), *clients, *peer)
		case "start":
			err = b.start(ctx, pick(*n, 100000))
		case "waiting":
			err = b.waiting(ctx, pick(*n, 1000000))
		default:
			err = fmt.Errorf("unknown scenario %q (inbound, start, waiting)", sc)
		}
		b.close()
		if err != nil {
			return err
		}
	}
	return writeAllocProfile(*memProfile)
}

func pick(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// open starts a server on a fresh database with the flow imported.
func (b *runtimeBench) open(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "careflow-bench-runtime-")
	if err != nil {
		return err
	}
	b.dir = dir
	var out bytes.Buffer
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: b.dsn, Out: &out,
		Logger: slog.New(slog.NewTextHandler(b.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	b.srv = srv
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	b.base = "http://" + addr
	sctx, stop := context.WithCancel(ctx)
	b.stop, b.done = stop, make(chan error, 1)
	go func() { b.done <- srv.Serve(sctx) }()
	rt := srv.Runtime
	list, err := rt.Store.ListWorkspaces(ctx)
	if err != nil {
		return err
	}
	b.ws = list[0]
	chans, err := rt.Store.ListChannels(ctx, b.ws.ID)
	if err != nil {
		return err
	}
	for _, c := range chans {
		if c.Type == runtime.TestChannelType {
			b.channel = c
		}
	}
	raw, err := os.ReadFile(b.flowFile)
	if err != nil {
		return err
	}
	var assets struct {
		Flows []json.RawMessage `json:"flows"`
	}
	if err := json.Unmarshal(raw, &assets); err != nil || len(assets.Flows) == 0 {
		return fmt.Errorf("%s: no flows", b.flowFile)
	}
	export, _ := json.Marshal(map[string]any{"version": "13", "flows": assets.Flows})
	res, err := rt.Import(ctx, b.ws.ID, export, "bench")
	if err != nil {
		return err
	}
	b.flowUUID = res.FlowUUIDs[0]
	rt.Committed = b.observe
	return nil
}

func (b *runtimeBench) close() {
	if b.stop != nil {
		b.stop()
		<-b.done
	}
	if b.srv != nil {
		b.srv.Close()
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// observe records, for every incoming message handled, the time from its receipt to the
// commit that queued its reply.
func (b *runtimeBench) observe(scenes []*store.Scene, errs []error, at time.Time) {
	var lat []time.Duration
	for i, sc := range scenes {
		if errs[i] != nil {
			continue
		}
		for _, t := range sc.DoneTasks {
			if t.Type == store.TaskMsg {
				lat = append(lat, at.Sub(t.CreatedOn))
			}
		}
		b.handled.Add(int64(len(sc.DoneTasks)))
	}
	b.mu.Lock()
	b.latencies = append(b.latencies, lat...)
	b.mu.Unlock()
}

func (b *runtimeBench) inbound(ctx context.Context, contacts, clients int, peer string) error {
	if err := b.open(ctx); err != nil {
		return err
	}
	rt := b.srv.Runtime
	if err := rt.SaveTrigger(ctx, &store.Trigger{WorkspaceID: b.ws.ID, Type: runtime.TriggerCatchAll, FlowUUID: b.flowUUID}); err != nil {
		return err
	}
	texts := []string{"hi", "I like blue!", "Coke"}
	total := contacts * len(texts)
	path := "/c/test/" + b.channel.UUID + "/receive"
	var next atomic.Int64
	var failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := newBenchConn(b.base)
			if err != nil {
				failed.Add(1)
				return
			}
			defer conn.close()
			for {
				i := next.Add(1) - 1
				if i >= int64(contacts) || ctx.Err() != nil {
					return
				}
				from := fmt.Sprintf("+2507%08d", i)
				for _, text := range texts {
					body, _ := json.Marshal(map[string]string{"from": from, "text": text})
					if st, err := conn.do("POST", path, "Content-Type: application/json\r\n", body); err != nil || st != http.StatusOK {
						failed.Add(1)
					}
				}
			}
		}()
	}
	wg.Wait()
	sent := time.Since(start)
	if err := b.waitHandled(ctx, int64(total)); err != nil {
		return err
	}
	elapsed := time.Since(start)
	p50, p99 := b.percentiles()
	line := map[string]any{"bench": "runtime", "scenario": "inbound", "backend": b.srv.Store.Backend(), "contacts": contacts,
		"messages": total, "failed": failed.Load(), "clients": clients, "cpus": goruntime.NumCPU(),
		"seconds": round2(elapsed.Seconds()), "send_seconds": round2(sent.Seconds()),
		"msgs_per_sec": int(float64(total) / elapsed.Seconds()), "p50_ms": p50, "p99_ms": p99}
	if peer != "" {
		ps, err := runPeer(ctx, peer, b.flowFile, contacts)
		if err != nil {
			return err
		}
		line["peer_sessions_per_sec"] = ps
		line["peer_resumes_per_sec"] = int(ps * 2)
		line["ratio_to_peer_resumes"] = round2(float64(total) / elapsed.Seconds() / (ps * 2))
	}
	return printLine(b.stdout, line)
}

// waitHandled waits until want tasks were handled and nothing is queued.
func (b *runtimeBench) waitHandled(ctx context.Context, want int64) error {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		if b.handled.Load() >= want {
			n, err := b.srv.Runtime.Store.PendingTasks(ctx, b.ws.ID)
			if err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("bench: only %d of %d tasks handled", b.handled.Load(), want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (b *runtimeBench) percentiles() (p50, p99 float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.latencies) == 0 {
		return 0, 0
	}
	sort.Slice(b.latencies, func(i, j int) bool { return b.latencies[i] < b.latencies[j] })
	at := func(q float64) float64 {
		return round2(float64(b.latencies[int(q*float64(len(b.latencies)-1))].Microseconds()) / 1000)
	}
	return at(0.50), at(0.99)
}

// populate creates contacts (with tel URNs) and a group holding them all.
func (b *runtimeBench) populate(ctx context.Context, contacts int) (*store.Group, error) {
	st := b.srv.Runtime.Store
	g := &store.Group{WorkspaceID: b.ws.ID, Name: "Everyone"}
	if err := b.srv.Runtime.SaveGroup(ctx, g); err != nil {
		return nil, err
	}
	now := time.Now()
	for i := 0; i < contacts; i += 1000 {
		var urns []store.NewContactURN
		for j := i; j < min(i+1000, contacts); j++ {
			urns = append(urns, store.NewContactURN{Identity: fmt.Sprintf("tel:+2507%08d", j), Name: "Contact " + strconv.Itoa(j)})
		}
		ids, _, err := st.GetOrCreateContacts(ctx, b.ws.ID, urns, now)
		if err != nil {
			return nil, err
		}
		if err := st.AddGroupMembers(ctx, g.ID, ids, nil); err != nil {
			return nil, err
		}
	}
	b.srv.Runtime.Invalidate(b.ws.ID)
	return g, nil
}

// startAll starts the flow for the whole group and waits until every contact's first
// message is queued (the start completed).
func (b *runtimeBench) startAll(ctx context.Context, g *store.Group) (time.Duration, error) {
	rt := b.srv.Runtime
	st := &store.FlowStart{WorkspaceID: b.ws.ID, FlowUUID: b.flowUUID, GroupUUIDs: []string{g.UUID}, Type: "api"}
	began := time.Now()
	if err := rt.StartFlow(ctx, st); err != nil {
		return 0, err
	}
	deadline := time.Now().Add(30 * time.Minute)
	for {
		got, err := rt.Store.GetStart(ctx, st.ID)
		if err != nil {
			return 0, err
		}
		if got.Status == store.StartCompleted {
			return time.Since(began), nil
		}
		if got.Status == store.StartFailed {
			return 0, errors.New("bench: start failed: " + got.Error)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return 0, fmt.Errorf("bench: start still %s", got.Status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (b *runtimeBench) start(ctx context.Context, contacts int) error {
	if err := b.open(ctx); err != nil {
		return err
	}
	g, err := b.populate(ctx, contacts)
	if err != nil {
		return err
	}
	took, err := b.startAll(ctx, g)
	if err != nil {
		return err
	}
	return printLine(b.stdout, map[string]any{"bench": "runtime", "scenario": "start", "backend": b.srv.Store.Backend(),
		"contacts": contacts, "seconds": round2(took.Seconds()), "contacts_per_sec": int(float64(contacts) / took.Seconds())})
}

func (b *runtimeBench) waiting(ctx context.Context, contacts int) error {
	if err := b.open(ctx); err != nil {
		return err
	}
	g, err := b.populate(ctx, contacts)
	if err != nil {
		return err
	}
	took, err := b.startAll(ctx, g)
	if err != nil {
		return err
	}
	goruntime.GC()
	debug.FreeOSMemory()
	line := map[string]any{"bench": "runtime", "scenario": "waiting", "backend": b.srv.Store.Backend(), "sessions": contacts,
		"start_seconds": round2(took.Seconds()), "rss_bytes": residentBytes()}
	if b.srv.Store.Backend() == "sqlite" {
		line["disk_bytes"] = dirBytes(b.dir)
	}
	return printLine(b.stdout, line)
}

func runPeer(ctx context.Context, peer, assets string, n int) (float64, error) {
	cmd := exec.CommandContext(ctx, peer, "-assets", assets, "-n", strconv.Itoa(n), "-inputs", "I like blue!,Coke", "-persist")
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("peer: %w", err)
	}
	var res struct {
		SessionsPerSec float64 `json:"sessions_per_sec"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &res); err != nil {
		return 0, fmt.Errorf("peer output %q: %w", out, err)
	}
	return res.SessionsPerSec, nil
}

func printLine(w io.Writer, line map[string]any) error {
	data, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(data))
	return err
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// residentBytes reads the process's resident set size.
func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func dirBytes(dir string) int64 {
	var total int64
	_ = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return total
}
