package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/store"
	"careflow/store/open"
	"careflow/store/storetest"
)

// TestRuntimeSurvivesKill runs the real binary, loads it with conversations over HTTP, kills
// it with SIGKILL mid-load, restarts it, and checks that every acknowledged message was
// handled exactly once: each incoming message has exactly one reply (the flow answers every
// message once), no message is left unhandled, and no session resumed twice.
func TestRuntimeSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := filepath.Join(t.TempDir(), "careflow")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	testserver.Backends(t, func(t *testing.T, backend string) {
		dir := t.TempDir()
		dsn := filepath.Join(dir, "careflow.db")
		if backend == "postgres" {
			dsn = storetest.PostgresSchemaDSN(t)
		}
		run := func(args ...string) string {
			t.Helper()
			cmd := exec.Command(bin, append(args, "-data", dir, "-db", dsn)...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("careflow %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return string(out)
		}
		echo := &testserver.Flow{Name: "Echo", Nodes: []*testserver.Node{
			{Actions: []map[string]any{testserver.Say("Hello, say something")}, Next: map[string]int{"*": 1}},
			{Wait: true, Next: map[string]int{"Other": 2}},
			{Actions: []map[string]any{testserver.Say("You said @input.text")}, Next: map[string]int{"*": 1}},
		}}
		exportFile := filepath.Join(dir, "echo.json")
		if err := os.WriteFile(exportFile, testserver.Export(echo), 0o600); err != nil {
			t.Fatal(err)
		}
		run("import", exportFile)
		run("trigger", "add", "-type", "keyword", "-keywords", "echo", "-flow", echo.UUID)

		addr := freeAddr(t)
		start := func() *exec.Cmd {
			t.Helper()
			cmd := exec.Command(bin, "serve", "-addr", addr, "-data", dir, "-db", dsn, "-log-level", "error")
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitHealthy(t, "http://"+addr)
			return cmd
		}
		cmd := start()
		channelUUID := testChannelUUID(t, dsn)

		// Load: many contacts, each sending its messages in order; every 200 is recorded.
		type ack struct{ urn, text string }
		var mu sync.Mutex
		var acked []ack
		var stop atomic.Bool
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 5 * time.Second}
		for c := 0; c < 20; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ {
					urn := fmt.Sprintf("tel:+2507%04d%04d", c, i)
					for j, text := range []string{"echo", "one", "two", "three"} {
						if stop.Load() {
							return
						}
						body, _ := json.Marshal(map[string]string{"from": urn, "text": text})
						resp, err := client.Post("http://"+addr+"/c/test/"+channelUUID+"/receive", "application/json", bytes.NewReader(body))
						if err != nil {
							return // the server is gone: this contact's later messages are never sent
						}
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							t.Errorf("receive %d: %d", j, resp.StatusCode)
							return
						}
						mu.Lock()
						acked = append(acked, ack{urn, text})
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		stop.Store(true)
		wg.Wait()
		if len(acked) < 50 {
			t.Fatalf("only %d messages acknowledged before the kill", len(acked))
		}

		cmd = start()
		defer func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		}()
		st, err := open.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ctx := context.Background()
		deadline := time.Now().Add(60 * time.Second)
		for {
			n, err := st.PendingTasks(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d tasks still queued a minute after the restart", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		wss, _ := st.ListWorkspaces(ctx)
		ws := wss[0].ID
		perContact := map[string][]string{}
		for _, a := range acked {
			perContact[a.urn] = append(perContact[a.urn], a.text)
		}
		for urn, texts := range perContact {
			id, err := st.ContactIDForURN(ctx, ws, urn)
			if err != nil {
				t.Fatalf("acknowledged contact %s lost: %v", urn, err)
			}
			in, out := true, false
			ins, _ := st.ListMsgs(ctx, ws, store.MsgQuery{ContactID: id, Incoming: &in, Limit: 1000})
			outs, _ := st.ListMsgs(ctx, ws, store.MsgQuery{ContactID: id, Incoming: &out, Limit: 1000})
			// A message stored just before the kill may not have been acknowledged: at least
			// every acknowledged one is there, in order.
			if len(ins) < len(texts) {
				t.Fatalf("%s: %d acknowledged messages, %d stored", urn, len(texts), len(ins))
			}
			for i, m := range reverse(ins)[:len(texts)] {
				if m.Text != texts[i] || m.Status != store.MsgHandled {
					t.Fatalf("%s: message %d is %q (%s), want %q handled", urn, i, m.Text, m.Status, texts[i])
				}
			}
			if len(outs) != len(ins) {
				t.Fatalf("%s: %d messages in, %d replies: a message was handled twice or not at all", urn, len(ins), len(outs))
			}
			for i, m := range reverse(outs) {
				want := "Hello, say something"
				if i > 0 {
					want = "You said " + reverse(ins)[i].Text
				}
				if m.Text != want {
					t.Fatalf("%s: reply %d is %q, want %q", urn, i, m.Text, want)
				}
			}
		}
		t.Logf("%s: %d messages acknowledged before the kill across %d contacts, all handled exactly once", backend, len(acked), len(perContact))
	})
}

func reverse(ms []*store.Msg) []*store.Msg {
	out := make([]*store.Msg, len(ms))
	for i, m := range ms {
		out[len(ms)-1-i] = m
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become healthy", base)
}

func testChannelUUID(t *testing.T, dsn string) string {
	t.Helper()
	st, err := open.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wss, err := st.ListWorkspaces(context.Background())
	if err != nil || len(wss) == 0 {
		t.Fatalf("workspaces: %v", err)
	}
	chans, err := st.ListChannels(context.Background(), wss[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chans {
		if c.Type == "TEST" {
			return c.UUID
		}
	}
	t.Fatal("no test channel")
	return ""
}
