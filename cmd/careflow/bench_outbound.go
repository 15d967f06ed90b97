package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"careflow/server"
	"careflow/store"
)

func init() {
	registerBench("outbound", "documents written through the records API, pushed to a local receiver", benchOutbound)
}

// benchOutbound starts a careflow server on a fresh database and a receiver on loopback, writes
// N records and measures from each write's start to its push arriving.
func benchOutbound(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench outbound", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 5000, "documents to write")
	writers := fs.Int("writers", 16, "concurrent writers")
	via := fs.String("via", "records", "write path: records (POST /api/v2/records) or docs (in-process Docs.Write)")
	db := fs.String("db", "", "database DSN (default: a SQLite file in a temporary folder)")
	perDest := fs.Int("per-destination", 16, "concurrent requests to the receiver")
	rate := fs.Float64("rate", 0, "write at most this many documents per second in all (0: as fast as the writers go)")
	withFrom := fs.Bool("from", true, "give each record a sender phone (_meta.from), which the records API looks up")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile (allocations since start-up) to this file at the end")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *via != "records" && *via != "docs" {
		return fmt.Errorf("-via must be records or docs")
	}
	dir, err := os.MkdirTemp("", "careflow-bench-")
	if err != nil {
		return err
	}
	keep := os.Getenv("CAREFLOW_BENCH_KEEP") != ""
	if keep {
		fmt.Fprintln(stderr, "bench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	// The receiver: records when each push arrives, by the record's sequence number.
	received := make([]atomic.Int64, *n)
	var got, dupes atomic.Int64
	done := make(chan struct{})
	rl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	rsrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Seq int }
		body, _ := io.ReadAll(r.Body)
		now := time.Now().UnixNano()
		if json.Unmarshal(body, &p) == nil && p.Seq >= 0 && p.Seq < *n {
			if received[p.Seq].CompareAndSwap(0, now) {
				if got.Add(1) == int64(*n) {
					close(done)
				}
			} else {
				dupes.Add(1)
			}
		}
		w.WriteHeader(http.StatusOK)
	})}
	go rsrv.Serve(rl)
	defer rsrv.Close()

	var out bytes.Buffer
	srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: *db, Out: &out,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options: map[string]string{server.OptionOutboundPerDestination: strconv.Itoa(*perDest), server.OptionPasswordIterations: "1000"}})
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

	m := regexp.MustCompile(`user "admin" with password (\S+)`).FindSubmatch(out.Bytes())
	if m == nil {
		return errors.New("bench: the server did not create an admin user")
	}
	base, password := "http://"+addr, string(m[1])
	auth := "Content-Type: application/json\r\nAccept: application/json\r\nAuthorization: Basic " +
		base64.StdEncoding.EncodeToString([]byte("admin:"+password)) + "\r\n"
	// call writes on conn, each writer's own kept-alive connection (benchConn).
	call := func(conn *benchConn, method, path string, body []byte) error {
		st, err := conn.do(method, path, auth, body)
		if err != nil {
			return err
		}
		if st != http.StatusOK {
			return fmt.Errorf("%s %s: status %d", method, path, st)
		}
		return nil
	}
	setup, err := newBenchConn(base)
	if err != nil {
		return err
	}
	defer setup.close()
	settings := `{"transitions":{"mark_for_outbound":true},
	  "forms":{"BENCH":{"meta":{"code":"BENCH"},"fields":{"seq":{"type":"integer","required":true}}}},
	  "outbound":{"bench":{"relevant_to":"doc.type === 'data_record' && doc.form === 'BENCH'",
	    "destination":{"base_url":"http://` + rl.Addr().String() + `","path":"/api/v2/flow_starts.json"},
	    "mapping":{"seq":"doc.fields.seq","id":"doc._id","urns":{"expr":"doc.from ? ['tel:' + doc.from] : []"},"extra.form":"doc.form"}}}}`
	if err := call(setup, http.MethodPut, "/api/v1/settings", []byte(settings)); err != nil {
		return fmt.Errorf("bench: settings: %w", err)
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
	started := make([]int64, *n)
	committed := make([]int64, *n)
	var next atomic.Int64
	var werr error
	var once sync.Once
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < *writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := newBenchConn(base)
			if err != nil {
				once.Do(func() { werr = err })
				return
			}
			defer conn.close()
			for {
				i := int(next.Add(1) - 1)
				if i >= *n {
					return
				}
				if *rate > 0 {
					// Open-loop pacing: write i is due i/rate seconds after the start.
					if d := time.Until(t0.Add(time.Duration(float64(i) / *rate * float64(time.Second)))); d > 0 {
						<-time.After(d)
					}
				}
				started[i] = time.Now().UnixNano()
				var err error
				if *via == "records" {
					from := ""
					if *withFrom {
						from = fmt.Sprintf(`,"from":"+254700%06d"`, i)
					}
					err = call(conn, http.MethodPost, "/api/v2/records", []byte(fmt.Sprintf(`{"_meta":{"form":"BENCH"%s},"seq":%d}`, from, i)))
				} else {
					fields := fmt.Sprintf(`{"type":"data_record","form":"BENCH","from":"+254700%06d","fields":{"seq":%d}}`, i, i)
					var res []store.DocResult
					res, err = srv.Docs.Write(ctx, []store.DocWrite{{ID: fmt.Sprintf("bench-%06d", i), Fields: []byte(fields)}})
					if err == nil && res[0].Err != nil {
						err = res[0].Err
					}
				}
				if err != nil {
					once.Do(func() { werr = err })
					return
				}
				committed[i] = time.Now().UnixNano()
			}
		}()
	}
	wg.Wait()
	if werr != nil {
		return fmt.Errorf("bench: write: %w", werr)
	}
	written := time.Since(t0)
	select {
	case <-done:
	case <-time.After(60*time.Second + time.Duration(*n)*time.Millisecond):
		var missing []int
		for i := range received {
			if received[i].Load() == 0 && len(missing) < 10 {
				missing = append(missing, i)
			}
		}
		return fmt.Errorf("bench: only %d of %d pushes arrived (missing seqs %v)", got.Load(), *n, missing)
	case <-ctx.Done():
		return ctx.Err()
	}
	lat := make([]float64, *n)
	afterCommit := make([]float64, *n)
	var last int64
	for i := range lat {
		r := received[i].Load()
		lat[i] = float64(r-started[i]) / 1e6
		afterCommit[i] = float64(r-committed[i]) / 1e6
		if r > last {
			last = r
		}
	}
	sort.Float64s(lat)
	sort.Float64s(afterCommit)
	elapsed := time.Duration(last - t0.UnixNano())
	res := map[string]any{
		"bench": "outbound", "n": *n, "via": *via, "rate": *rate, "store": srv.Store.Backend(), "writers": *writers,
		"pushes_per_sec": round1(float64(*n) / elapsed.Seconds()),
		"writes_per_sec": round1(float64(*n) / written.Seconds()),
		"p50_ms":         round1(lat[len(lat)/2]),
		"p99_ms":         round1(lat[len(lat)*99/100]),
		"max_ms":         round1(lat[len(lat)-1]),
		"duplicates":     dupes.Load(),
		// From the write's response (commit) rather than its start: the queueing of the
		// write itself left out. A push can arrive before the writer sees its response.
		"after_commit_p50_ms": round1(afterCommit[len(afterCommit)/2]),
	}
	if err := writeAllocProfile(*memProfile); err != nil {
		return err
	}
	b, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(b))
	return nil
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
