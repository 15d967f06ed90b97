package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/store/storetest"
)

// TestOutboundExactlyOnceAcrossKill pushes documents from one careflow (a child process
// built from this package) to another careflow's records API, kills the sender with SIGKILL
// while pushes are in flight, restarts it on the same database, and checks that the receiver
// holds exactly one record per document: the copies re-sent after the restart carry the same
// Idempotency-Key and are answered from the receiver's key table instead of being written.
func TestOutboundExactlyOnceAcrossKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs careflow")
	}
	bin := filepath.Join(t.TempDir(), "careflow")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build careflow: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) { testOutboundKill(t, bin, "", "") })
	t.Run("postgres", func(t *testing.T) {
		testOutboundKill(t, bin, storetest.PostgresSchemaDSN(t), storetest.PostgresSchemaDSN(t))
	})
}

func testOutboundKill(t *testing.T, bin, senderDB, receiverDB string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rcv, err := startCHTServerOn(ctx, receiverDB)
	if err != nil {
		t.Fatal(err)
	}
	defer rcv.close()
	if err := rcv.setSettings(json.RawMessage(`{"forms":{"PUSHED":{"meta":{"code":"PUSHED"},"fields":{"src":{"type":"string"}}}}}`)); err != nil {
		t.Fatal(err)
	}

	// A proxy in front of the receiver counts the copies of each key and slows every answer
	// a little, so the kill finds requests answered but not yet recorded by the sender.
	target, _ := url.Parse(rcv.base)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	copies := map[string]int{}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		copies[r.Header.Get("Idempotency-Key")]++
		mu.Unlock()
		proxy.ServeHTTP(w, r)
		time.Sleep(20 * time.Millisecond)
	}))
	defer front.Close()

	dataDir := t.TempDir()
	sender := startChild(t, ctx, bin, dataDir, senderDB)
	sender.put(t, "/api/v1/credentials/rcv-pass", "text/plain", rcv.admin)
	sender.put(t, "/api/v1/settings", "application/json", `{"transitions":{"mark_for_outbound":true},"outbound":{"to-records":{
		"relevant_to":"doc.type === 'person'",
		"destination":{"base_url":"`+front.URL+`","path":"/api/v2/records","auth":{"type":"basic","username":"admin","password_key":"rcv-pass"}},
		"mapping":{"_meta":{"expr":"({form: 'PUSHED', from: '+254700000001'})"},"src":"doc._id"}}}}`)

	const n = 400
	for b := 0; b < n/100; b++ {
		var docs []string
		for i := b * 100; i < (b+1)*100; i++ {
			docs = append(docs, fmt.Sprintf(`{"_id":"p%04d","type":"person","name":"P %d"}`, i, i))
		}
		sender.post(t, "/medic/_bulk_docs", `{"docs":[`+strings.Join(docs, ",")+`]}`)
	}
	for received := 0; received < n/4; {
		received = len(recordSources(t, rcv))
		if ctx.Err() != nil {
			t.Fatalf("only %d pushes arrived", received)
		}
		time.Sleep(10 * time.Millisecond)
	}
	sender.kill(t)
	before := len(recordSources(t, rcv))
	t.Logf("killed the sender with %d of %d records at the receiver", before, n)

	startChild(t, ctx, bin, dataDir, senderDB)
	var sources map[string]int
	for {
		sources = recordSources(t, rcv)
		if len(sources) == n || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a late duplicate would land now
	sources = recordSources(t, rcv)
	total := 0
	for src, c := range sources {
		total += c
		if c > 1 {
			t.Errorf("document %s was recorded %d times", src, c)
		}
	}
	if len(sources) != n || total != n {
		t.Fatalf("receiver holds %d records for %d documents, want %d for %d", total, len(sources), n, n)
	}
	mu.Lock()
	resent := 0
	for _, c := range copies {
		if c > 1 {
			resent++
		}
	}
	mu.Unlock()
	t.Logf("%d pushes were sent more than once across the kill; each was recorded once", resent)
}

// recordSources counts the receiver's PUSHED records by the document they came from.
func recordSources(t *testing.T, rcv *chtServer) map[string]int {
	t.Helper()
	body, err := rcv.asAdmin("GET", `/medic/_design/medic-client/_view/doc_by_type?key=["data_record"]&include_docs=true`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Rows []struct {
			Doc struct {
				Fields struct {
					Src string `json:"src"`
				} `json:"fields"`
			} `json:"doc"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range res.Rows {
		out[r.Doc.Fields.Src]++
	}
	return out
}

// child is a careflow serve process.
type child struct {
	cmd      *exec.Cmd
	base     string
	password string
	exited   chan struct{}
}

var listening = regexp.MustCompile(`careflow listening" addr=(\S+)`)

// startChild runs careflow serve on a loopback port with short outbound leases (so a restart
// takes over a killed node's claims quickly); the admin password is read from the first run's
// output and kept across restarts of the same data folder.
func startChild(t *testing.T, ctx context.Context, bin, dataDir, db string) *child {
	t.Helper()
	args := []string{"serve", "-addr", "127.0.0.1:0", "-data", dataDir, "-log-level", "info",
		"-option", "cht.password_iterations=1000", "-option", "outbound.lease=5s", "-option", "outbound.timeout=2s",
		"-option", "outbound.backoff_min=200ms"}
	if db != "" {
		args = append(args, "-db", db)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			cmd.Process.Kill()
			<-c.exited
		}
	})
	lines := make(chan string, 100)
	scan := func(r io.Reader) {
		s := bufio.NewScanner(r)
		for s.Scan() {
			select {
			case lines <- s.Text():
			default:
			}
		}
	}
	go scan(stdout)
	go scan(stderr)
	if pw := passwords[dataDir]; pw != "" {
		c.password = pw
	}
	deadline := time.After(30 * time.Second)
	for c.base == "" || c.password == "" {
		select {
		case l := <-lines:
			if m := adminPassword.FindStringSubmatch(l); m != nil {
				c.password = m[1]
				passwords[dataDir] = m[1]
			}
			if m := listening.FindStringSubmatch(l); m != nil {
				c.base = "http://" + m[1]
			}
		case <-c.exited:
			t.Fatal("careflow exited at start")
		case <-deadline:
			t.Fatal("careflow did not start")
		}
	}
	return c
}

// passwords remembers the admin password of each data folder across restarts.
var passwords = map[string]string{}

func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown, no lease release
		t.Fatal(err)
	}
	<-c.exited
}

func (c *child) send(t *testing.T, method, path, contentType, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth("admin", c.password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
}

func (c *child) put(t *testing.T, path, contentType, body string) {
	t.Helper()
	c.send(t, "PUT", path, contentType, body)
}

func (c *child) post(t *testing.T, path, body string) {
	t.Helper()
	c.send(t, "POST", path, "application/json", body)
}
