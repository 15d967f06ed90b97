package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"careflow/channel"
	"careflow/server"
	"careflow/store"
)

func init() {
	registerBench("channels", "messages sent through an External API channel to a local sink, unlimited and at a tps limit", benchChannels)
}

// benchChannels fills the outbox of an External API channel and measures how fast the channel
// sends it to a local sink: once with no tps limit, once limited (the rate in the full seconds
// of the run, which the limit governs).
func benchChannels(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench channels", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20000, "messages to send with no tps limit")
	tps := fs.Int("tps", 200, "tps limit of the limited scenario")
	seconds := fs.Int("seconds", 10, "length of the limited scenario in seconds")
	workers := fs.Int("workers", 64, "concurrent sends per claim round")
	lanes := fs.Int("lanes", 4, "claim rounds of the unlimited channel at once")
	batch := fs.Int("batch", 500, "messages per claim round")
	db := fs.String("db", "", "database DSN (default: a SQLite file in a temporary folder)")
	scenario := fs.String("scenario", "all", "unlimited, tps or all")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *n <= 0 || *tps <= 0 || *seconds < 3 {
		return fmt.Errorf("-n and -tps must be positive and -seconds at least 3")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	type run struct {
		name  string
		count int
		limit int
	}
	var runs []run
	if *scenario == "all" || *scenario == "unlimited" {
		runs = append(runs, run{"unlimited", *n, channel.Unlimited})
	}
	if *scenario == "all" || *scenario == "tps" {
		runs = append(runs, run{"tps", *tps * *seconds, *tps})
	}
	for _, r := range runs {
		res, err := benchChannelRun(ctx, *db, r.count, r.limit, *workers, *lanes, *batch, stderr)
		if err != nil {
			return err
		}
		res["bench"], res["scenario"] = "channels", r.name
		if r.limit > 0 {
			res["tps_limit"] = r.limit
		}
		line, _ := json.Marshal(res)
		fmt.Fprintln(stdout, string(line))
	}
	return nil
}

func benchChannelRun(ctx context.Context, db string, count, tps, workers, lanes, batch int, stderr io.Writer) (map[string]any, error) {
	dir, err := os.MkdirTemp("", "careflow-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	// The sink: a provider that takes everything, noting when each send arrived.
	var mu sync.Mutex
	arrivals := make([]time.Time, 0, count)
	var got atomic.Int64
	done := make(chan struct{})
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sink := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		now := time.Now()
		mu.Lock()
		arrivals = append(arrivals, now)
		mu.Unlock()
		if got.Add(1) == int64(count) {
			close(done)
		}
		w.WriteHeader(http.StatusOK)
	})}
	go sink.Serve(sl)
	defer sink.Close()

	var out bytes.Buffer
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: db, Out: &out,
		Logger:  slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Options: map[string]string{server.OptionPasswordIterations: "1000"}})
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	wss, err := srv.Runtime.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	ws := wss[0]
	ch, err := srv.Channels.AddChannel(ctx, channel.ChannelSpec{WorkspaceID: ws.ID, Type: "EX", Address: "+250788383383", TPS: tps,
		Config: channel.Config{"send_url": "http://" + sl.Addr().String() + "/send"}})
	if err != nil {
		return nil, err
	}
	// The outbox is filled before any sender runs, as flows and broadcasts would queue it.
	now := time.Now()
	for start := 0; start < count; start += 1000 {
		sc := &store.Scene{WorkspaceID: ws.ID}
		for i := start; i < min(start+1000, count); i++ {
			sc.MsgsOut = append(sc.MsgsOut, &store.Msg{WorkspaceID: ws.ID, ContactID: int64(i + 1), URN: fmt.Sprintf("tel:+2507%08d", i),
				ChannelUUID: ch.UUID, Text: "Your appointment is tomorrow at 9:00. Reply YES to confirm.", Status: store.MsgQueued,
				CreatedOn: now})
		}
		errs, err := srv.Runtime.Store.CommitScenes(ctx, srv.Runtime.Owner(), []*store.Scene{sc}, now)
		if err != nil {
			return nil, err
		}
		if errs[0] != nil {
			return nil, errs[0]
		}
	}
	srv.Channels.Workers, srv.Channels.Lanes, srv.Channels.Batch = workers, lanes, batch
	rctx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	defer func() { stop(); <-ran }()
	cpu0 := cpuTime()
	started := time.Now()
	go func() {
		_ = srv.Channels.Run(rctx)
		close(ran)
	}()
	timeout := time.Duration(count/max(tps, 1)+120) * time.Second
	select {
	case <-done:
	case <-time.After(timeout):
		return nil, fmt.Errorf("bench: %d of %d sends arrived in %s", got.Load(), count, timeout)
	}
	elapsed := time.Since(started)
	cpu := cpuTime() - cpu0
	// CPU time of the whole process (senders, store, and the sink) tells what a send costs on
	// a machine shared with other work, where wall time alone understates the rate.
	res := map[string]any{"messages": count, "seconds": round1(elapsed.Seconds()), "cpu_seconds": round1(cpu.Seconds()),
		"sends_per_cpu_sec": round1(float64(count) / cpu.Seconds())}
	if tps <= 0 {
		res["sends_per_sec"] = round1(float64(count) / elapsed.Seconds())
		return res, nil
	}
	// A limited channel is granted tps per epoch second; the first and last seconds of the run
	// are partial, so the rate is read over the full seconds between them.
	mu.Lock()
	perSecond := map[int64]int{}
	first, last := arrivals[0].Unix(), arrivals[len(arrivals)-1].Unix()
	for _, a := range arrivals {
		perSecond[a.Unix()]++
	}
	mu.Unlock()
	full, sent, worst := 0, 0, 0
	for sec := first + 1; sec < last; sec++ {
		full++
		sent += perSecond[sec]
		worst = max(worst, perSecond[sec])
	}
	if full > 0 {
		res["sends_per_sec"] = round1(float64(sent) / float64(full))
		res["max_in_one_second"] = worst
	}
	return res, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
