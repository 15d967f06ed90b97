package channel_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/channel"
	"careflow/server"
	"careflow/store"
	"careflow/store/open"
	"careflow/store/storetest"
)

// A careflow node in its own process, for the crash test: the test binary runs itself with
// crashChildEnv set to "<data dir>|<db dsn>|<send url>".
const crashChildEnv = "CAREFLOW_TEST_CRASH_CHILD"

func TestMain(m *testing.M) {
	if v := os.Getenv(crashChildEnv); v != "" {
		os.Exit(crashChild(v))
	}
	os.Exit(m.Run())
}

func crashChild(v string) int {
	parts := strings.SplitN(v, "|", 3)
	ctx := context.Background()
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: parts[0], DB: parts[1], Out: io.Discard,
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Options: map[string]string{server.OptionChannelsLease: "2s", server.OptionPasswordIterations: "1000"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	wss, _ := srv.Runtime.Store.ListWorkspaces(ctx)
	chans, _ := srv.Runtime.Store.ListChannels(ctx, wss[0].ID)
	found := false
	for _, c := range chans {
		found = found || c.Type == "EX"
	}
	if !found {
		if _, err := srv.Channels.AddChannel(ctx, channel.ChannelSpec{WorkspaceID: wss[0].ID, Type: "EX", Address: "+250788383383",
			TPS: channel.Unlimited, Config: channel.Config{"send_url": parts[2]}}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	addr, err := srv.Listen()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("READY %s\n", addr)
	_ = srv.Serve(ctx)
	return 0
}

func startChild(t *testing.T, env string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "READY ") {
				ready <- true
			}
		}
		close(ready)
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("node did not start: %s", stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("node did not start in time: %s", stderr.String())
	}
	return cmd
}

// TestKillMidSend: a node is killed (SIGKILL) while a provider holds one send open. Messages
// whose answers were committed before are never sent again; the message in flight is sent
// again once, by the restarted node, after its lease ran out (the documented at-least-once
// rule), and ends wired.
func TestKillMidSend(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			dsn := ""
			if backend == "postgres" {
				dsn = storetest.PostgresSchemaDSN(t)
			}
			var mu sync.Mutex
			hang := true
			seen := map[string]int{}
			hung := make(chan struct{}, 1)
			release := make(chan struct{})
			defer close(release)
			fake := newFakeProvider(t)
			fake.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				mu.Lock()
				seen[r.Form.Get("uuid")]++
				block := hang && r.Form.Get("text") == "hang"
				mu.Unlock()
				if block {
					hung <- struct{}{}
					select {
					case <-release:
					case <-r.Context().Done():
					}
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			env := dir + "|" + dsn + "|" + fake.URL + "/send"
			child := startChild(t, env)

			ctx := context.Background()
			path := dsn
			if path == "" {
				path = filepath.Join(dir, "careflow.db")
			}
			st, err := open.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			wss, _ := st.ListWorkspaces(ctx)
			chans, _ := st.ListChannels(ctx, wss[0].ID)
			var ch *store.Channel
			for _, c := range chans {
				if c.Type == "EX" {
					ch = c
				}
			}
			queue := func(texts ...string) []*store.Msg {
				sc := &store.Scene{WorkspaceID: wss[0].ID}
				for i, text := range texts {
					sc.MsgsOut = append(sc.MsgsOut, &store.Msg{WorkspaceID: wss[0].ID, ContactID: int64(100 + i),
						URN: fmt.Sprintf("tel:+25078800%04d", i), ChannelUUID: ch.UUID, Text: text, Status: store.MsgQueued})
				}
				if errs, err := st.CommitScenes(ctx, "test", []*store.Scene{sc}, time.Now()); err != nil || errs[0] != nil {
					t.Fatal(err, errs)
				}
				return sc.MsgsOut
			}
			waitFor := func(m *store.Msg, status string) {
				deadline := time.Now().Add(30 * time.Second)
				for {
					got, err := st.(store.ChannelStore).GetMsgByUUID(ctx, m.UUID)
					if err == nil && got.Status == status {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("message %q: %+v, want %s", m.Text, got, status)
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
			done := queue("one", "two", "three")
			for _, m := range done {
				waitFor(m, store.MsgWired)
			}
			inFlight := queue("hang")[0]
			select {
			case <-hung:
			case <-time.After(30 * time.Second):
				t.Fatal("the node never sent the held message")
			}
			if err := child.Process.Kill(); err != nil { // SIGKILL: no shutdown, no commit
				t.Fatal(err)
			}
			_ = child.Wait()
			mu.Lock()
			hang = false
			mu.Unlock()

			startChild(t, env)
			waitFor(inFlight, store.MsgWired)
			time.Sleep(1500 * time.Millisecond) // a wrong resend of committed messages would show by now
			mu.Lock()
			defer mu.Unlock()
			for _, m := range done {
				if seen[m.UUID] != 1 {
					t.Errorf("committed message %q sent %d times", m.Text, seen[m.UUID])
				}
			}
			if seen[inFlight.UUID] != 2 {
				t.Errorf("in-flight message sent %d times, want 2 (once before the crash, once after)", seen[inFlight.UUID])
			}
		})
	}
}
