package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"careflow/runtime"
	"careflow/server"
	"careflow/store"
)

func init() {
	registerBench("campaigns", "schedule a campaign event for a big group, then fire it for every member", benchCampaigns)
}

// benchCampaigns puts N contacts in a campaign's group on a fresh database, times scheduling
// a flow event for all of them (computing and storing their fires), then moves the clock past
// the fire time and times until every contact's flow has run and queued its first message.
func benchCampaigns(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench campaigns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "contacts in the campaign's group")
	db := fs.String("db", "", "database DSN (default: a SQLite file in a temporary folder)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed parts to this file")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *n < 1 || *n > 2_000_000 {
		return fmt.Errorf("-n must be between 1 and 2000000")
	}
	dir, err := os.MkdirTemp("", "careflow-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := runtime.NewManualClock(t0)
	var out bytes.Buffer
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: *db, Out: &out, Clock: clock,
		Logger:  slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Options: map[string]string{server.OptionPasswordIterations: "1000"}})
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := srv.Listen(); err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx) }()
	defer func() { stop(); <-served }()

	rt := srv.Runtime
	st := rt.Store
	wss, err := st.ListWorkspaces(ctx)
	if err != nil || len(wss) == 0 {
		return fmt.Errorf("bench: no workspace: %v", err)
	}
	ws := wss[0].ID
	flowUUID, err := benchCampaignFlow(ctx, rt, ws)
	if err != nil {
		return err
	}
	g := &store.Group{WorkspaceID: ws, Name: "Bench"}
	if err := rt.SaveGroup(ctx, g); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench: creating %d contacts\n", *n)
	const batch = 5000
	for i := 0; i < *n; i += batch {
		urns := make([]store.NewContactURN, 0, batch)
		for j := i; j < min(i+batch, *n); j++ {
			urns = append(urns, store.NewContactURN{Identity: fmt.Sprintf("tel:+1555%07d", j)})
		}
		ids, _, err := st.GetOrCreateContacts(ctx, ws, urns, t0)
		if err != nil {
			return err
		}
		if err := st.AddGroupMembers(ctx, g.ID, ids, nil); err != nil {
			return err
		}
	}
	camp, err := rt.CreateCampaign(ctx, ws, "Bench", g.UUID)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
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

	// schedule: the event is one minute after each contact's creation
	start, cpu := time.Now(), processCPU()
	ev := &store.CampaignEvent{EventType: store.CampaignEventFlow, FlowUUID: flowUUID, RelativeTo: store.CampaignRelativeCreatedOn,
		Offset: 1, Unit: store.CampaignUnitMinutes, DeliveryHour: -1}
	if err := rt.SaveCampaignEvent(ctx, ws, camp.UUID, ev); err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	_ = enc.Encode(map[string]any{"bench": "campaigns", "scenario": "schedule", "contacts": *n, "seconds": round3(secs),
		"cpu_seconds": round3((processCPU() - cpu).Seconds())})

	// fire: every fire is due; the timer poller and the workers take it from here
	clock.Advance(2 * time.Minute)
	start, cpu = time.Now(), processCPU()
	if _, err := rt.FireTimers(ctx); err != nil {
		return err
	}
	for {
		next, err := st.NextFire(ctx)
		if err != nil {
			return err
		}
		pending, err := st.PendingTasks(ctx, ws)
		if err != nil {
			return err
		}
		if next == nil && pending == 0 {
			break
		}
		if next != nil {
			if _, err := rt.FireTimers(ctx); err != nil {
				return err
			}
		}
		// Counting pending tasks scans the queue: poll gently so the count does not slow
		// the workers it is waiting for.
		time.Sleep(250 * time.Millisecond)
	}
	secs, cpuSecs := time.Since(start).Seconds(), (processCPU() - cpu).Seconds()
	queued, err := benchCountQueued(ctx, st, ws)
	if err != nil {
		return err
	}
	if queued != *n {
		return fmt.Errorf("bench: %d messages queued for %d contacts", queued, *n)
	}
	_ = enc.Encode(map[string]any{"bench": "campaigns", "scenario": "fire", "contacts": *n, "seconds": round3(secs),
		"cpu_seconds": round3(cpuSecs)})
	return nil
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// benchCampaignFlow imports a one-message flow and returns its UUID.
func benchCampaignFlow(ctx context.Context, rt *runtime.Runtime, ws int64) (string, error) {
	const uuid = "6b1c2a8e-0000-4000-8000-00000000be01"
	def := map[string]any{"uuid": uuid, "name": "Bench Check-in", "spec_version": "14.4.1", "language": "eng", "type": "messaging",
		"revision": 1, "expire_after_minutes": 10080, "localization": map[string]any{},
		"nodes": []any{map[string]any{"uuid": "6b1c2a8e-0000-4000-8000-00000000be02",
			"actions": []any{map[string]any{"uuid": "6b1c2a8e-0000-4000-8000-00000000be03", "type": "send_msg", "text": "Day 1 check-in: how are you, @contact.name?"}},
			"exits":   []any{map[string]any{"uuid": "6b1c2a8e-0000-4000-8000-00000000be04"}}}}}
	export, _ := json.Marshal(map[string]any{"version": "13", "site": "", "flows": []any{def}, "campaigns": []any{}, "triggers": []any{}})
	if _, err := rt.Import(ctx, ws, export, "bench"); err != nil {
		return "", err
	}
	return uuid, nil
}

// benchCountQueued counts the workspace's outgoing messages, paging back from the newest.
func benchCountQueued(ctx context.Context, st runtime.Store, ws int64) (int, error) {
	out := false
	total := 0
	var before int64
	for {
		msgs, err := st.ListMsgs(ctx, ws, store.MsgQuery{Incoming: &out, BeforeID: before, Limit: 1000})
		if err != nil {
			return 0, err
		}
		total += len(msgs)
		if len(msgs) < 1000 {
			return total, nil
		}
		before = msgs[len(msgs)-1].ID
	}
}
