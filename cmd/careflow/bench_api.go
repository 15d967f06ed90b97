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
	"sort"
	"sync"
	"time"

	"careflow/api"
	"careflow/server"
	"careflow/store"
)

func init() {
	registerBench("api", "API v2: contacts paged through (-contacts N) and flow_starts accepted/s (-starts N -writers W)", benchAPI)
}

// benchAPI starts a careflow server on a fresh database, fills it with contacts, walks
// contacts.json from the first page to the last by its next links, then posts flow starts
// from concurrent writers. It prints one JSON line per scenario.
func benchAPI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench api", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nContacts := fs.Int("contacts", 100000, "contacts to create and page through")
	nStarts := fs.Int("starts", 2000, "flow starts to post")
	writers := fs.Int("writers", 8, "concurrent flow_starts writers")
	db := fs.String("db", "", "database DSN (default: a SQLite file in a temporary folder)")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	dir, err := os.MkdirTemp("", "careflow-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var out bytes.Buffer
	// Limits far above the load: the bench measures the server, not the throttle.
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: *db, Out: &out,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options: map[string]string{server.OptionPasswordIterations: "1000",
			server.OptionAPIRates: "v2=100000000/hour,v2.contacts=100000000/hour"}})
	if err != nil {
		return err
	}
	defer srv.Close()
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx) }()
	defer func() { stop(); <-served }()

	wss, err := srv.Runtime.Store.ListWorkspaces(ctx)
	if err != nil || len(wss) == 0 {
		return fmt.Errorf("bench: no workspace: %v", err)
	}
	ws := wss[0]
	st, ok := srv.Store.(api.Store)
	if !ok {
		return errors.New("bench: the store keeps no API data")
	}
	token, err := api.CreateToken(ctx, st, ws.ID, "admin", time.Now())
	if err != nil {
		return err
	}
	base := "http://" + addr
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *writers * 2}, Timeout: 60 * time.Second}
	call := func(method, url string, body []byte) (int, []byte, error) {
		req, _ := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Token "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}

	// Contacts, created in batches of a thousand URNs per transaction.
	fmt.Fprintf(stderr, "bench: creating %d contacts\n", *nContacts)
	for i := 0; i < *nContacts; i += 1000 {
		var batch []store.NewContactURN
		for j := i; j < min(i+1000, *nContacts); j++ {
			batch = append(batch, store.NewContactURN{Identity: fmt.Sprintf("tel:+2547%08d", j), Name: fmt.Sprintf("Contact %d", j)})
		}
		if _, _, err := st.GetOrCreateContacts(ctx, ws.ID, batch, time.Now()); err != nil {
			return err
		}
	}
	next := base + "/api/v2/contacts.json"
	var pageTimes []time.Duration
	seen := 0
	began := time.Now()
	for next != "" {
		t0 := time.Now()
		status, body, err := call(http.MethodGet, next, nil)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("bench: contacts page %d: %d %v %.200s", len(pageTimes)+1, status, err, body)
		}
		pageTimes = append(pageTimes, time.Since(t0))
		var page struct {
			Next    *string           `json:"next"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return err
		}
		seen += len(page.Results)
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	elapsed := time.Since(began)
	if seen != *nContacts {
		return fmt.Errorf("bench: paged through %d contacts, want %d", seen, *nContacts)
	}
	sorted := append([]time.Duration(nil), pageTimes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	line(stdout, map[string]any{"scenario": "contacts_paging", "backend": srv.Store.Backend(), "contacts": seen,
		"pages": len(pageTimes), "seconds": round(elapsed.Seconds()), "contacts_per_s": round(float64(seen) / elapsed.Seconds()),
		"page_ms_p50": ms(pct(sorted, 50)), "page_ms_p99": ms(pct(sorted, 99)), "first_page_ms": ms(pageTimes[0]),
		"last_page_ms": ms(pageTimes[len(pageTimes)-1])})

	// Flow starts, each for one URN, from concurrent writers.
	flowUUID := "6a44ca78-a4c2-4862-a7d3-2932f9b3a7c3"
	export := fmt.Sprintf(`{"version":"13","flows":[{"uuid":%q,"name":"Bench","spec_version":"13.1.0","language":"eng","type":"messaging",
	  "nodes":[{"uuid":"2a44ca78-a4c2-4862-a7d3-2932f9b3a7c3","actions":[{"uuid":"3a44ca78-a4c2-4862-a7d3-2932f9b3a7c3","type":"send_msg","text":"Hi @trigger.params.n"}],"exits":[{"uuid":"4a44ca78-a4c2-4862-a7d3-2932f9b3a7c3"}]}]}]}`, flowUUID)
	if _, err := srv.Runtime.Import(ctx, ws.ID, []byte(export), "bench"); err != nil {
		return err
	}
	lat := make([]time.Duration, *nStarts)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	work := make(chan int)
	began = time.Now()
	for range *writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				body := fmt.Sprintf(`{"flow":%q,"urns":["tel:+2557%08d"],"extra":{"n":%d}}`, flowUUID, i, i)
				t0 := time.Now()
				status, b, err := call(http.MethodPost, base+"/api/v2/flow_starts.json", []byte(body))
				lat[i] = time.Since(t0)
				if err == nil && status != http.StatusCreated {
					err = fmt.Errorf("flow start %d: %d %.200s", i, status, b)
				}
				if err != nil {
					mu.Lock()
					firstErr = firstOf(firstErr, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range *nStarts {
		work <- i
	}
	close(work)
	wg.Wait()
	elapsed = time.Since(began)
	if firstErr != nil {
		return firstErr
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	line(stdout, map[string]any{"scenario": "flow_starts", "backend": srv.Store.Backend(), "starts": *nStarts, "writers": *writers,
		"seconds": round(elapsed.Seconds()), "accepted_per_s": round(float64(*nStarts) / elapsed.Seconds()),
		"p50_ms": ms(pct(lat, 50)), "p99_ms": ms(pct(lat, 99))})
	return nil
}

func firstOf(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func ms(d time.Duration) float64 { return round(float64(d.Microseconds()) / 1000) }

func round(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func line(w io.Writer, v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Fprintln(w, string(b))
}
