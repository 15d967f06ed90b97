package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the bench's own schema

	"careflow/server"
)

func init() {
	registerBench("records", "concurrent clients posting records to 1 or more nodes on SQLite and PostgreSQL", benchRecords)
}

// benchRecords posts records (JSON form, Basic auth as a gateway user, the sender found by
// phone) from concurrent HTTP clients spread over one or more careflow nodes sharing a fresh
// database, and prints one JSON line per scenario (store × node count).
func benchRecords(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench records", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20000, "records to post per scenario")
	clients := fs.Int("clients", 50, "concurrent HTTP clients")
	stores := fs.String("stores", "sqlite,postgres", "backends to run, comma-separated (postgres needs -postgres)")
	nodeCounts := fs.String("nodes", "1,2", "node counts to run, comma-separated")
	pg := fs.String("postgres", os.Getenv("CAREFLOW_BENCH_POSTGRES"), "PostgreSQL DSN (a fresh schema is made per scenario); default $CAREFLOW_BENCH_POSTGRES")
	profile := fs.String("profile", "", "write block, mutex and CPU profiles of the runs to FILE.block, FILE.mutex and FILE.cpu")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *profile != "" {
		stop, err := startProfiles(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	for _, st := range strings.Split(*stores, ",") {
		for _, nc := range strings.Split(*nodeCounts, ",") {
			nodes, err := strconv.Atoi(strings.TrimSpace(nc))
			if err != nil || nodes < 1 {
				return fmt.Errorf("-nodes: %q is not a node count", nc)
			}
			st = strings.TrimSpace(st)
			if st == "postgres" && *pg == "" {
				fmt.Fprintln(stderr, "bench records: no -postgres DSN; skipping postgres")
				continue
			}
			res, err := runRecordsScenario(ctx, st, *pg, nodes, *clients, *n)
			if err != nil {
				return fmt.Errorf("%s × %d nodes: %w", st, nodes, err)
			}
			line, _ := json.Marshal(res)
			fmt.Fprintln(stdout, string(line))
		}
	}
	return nil
}

type recordsResult struct {
	Bench         string  `json:"bench"`
	Store         string  `json:"store"`
	Nodes         int     `json:"nodes"`
	Clients       int     `json:"clients"`
	N             int     `json:"n"`
	Errors        int64   `json:"errors"`
	RecordsPerSec float64 `json:"records_per_sec"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	Maxms         float64 `json:"max_ms"`
}

func runRecordsScenario(ctx context.Context, storeName, pgDSN string, nodes, clients, n int) (recordsResult, error) {
	res := recordsResult{Bench: "records", Store: storeName, Nodes: nodes, Clients: clients, N: n}
	dir, err := os.MkdirTemp("", "careflow-bench-records-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	dsn := ""
	if storeName == "postgres" {
		var drop func()
		dsn, drop, err = benchSchema(ctx, pgDSN)
		if err != nil {
			return res, err
		}
		defer drop()
	} else if storeName != "sqlite" {
		return res, fmt.Errorf("unknown store %q", storeName)
	}

	var bases []string
	var admin string
	for i := 0; i < nodes; i++ {
		var out bytes.Buffer
		srv, err := server.New(ctx, server.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: dsn, Out: &out,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			return res, err
		}
		addr, err := srv.Listen()
		if err != nil {
			srv.Close()
			return res, err
		}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- srv.Serve(sctx) }()
		defer func() { stop(); <-done; srv.Close() }()
		if m := regexp.MustCompile(`user "admin" with password (\S+)`).FindStringSubmatch(out.String()); m != nil {
			admin = m[1]
		}
		bases = append(bases, "http://"+addr)
	}
	// conns holds a client's connections, one per node.
	conns := func() ([]*benchConn, error) {
		cs := make([]*benchConn, len(bases))
		for i, b := range bases {
			c, err := newBenchConn(b)
			if err != nil {
				return nil, err
			}
			cs[i] = c
		}
		return cs, nil
	}
	// headers are a user's request headers, built once rather than per request.
	headers := func(user, pass string) string {
		return "Content-Type: application/json\r\nAccept: application/json\r\nAuthorization: Basic " +
			base64.StdEncoding.EncodeToString([]byte(user+":"+pass)) + "\r\n"
	}
	adminHeaders, gatewayHeaders := headers("admin", admin), headers("rapidpro", gatewayBenchPassword)
	call := func(c *benchConn, method, path, header, body string) (int, error) {
		return c.do(method, path, header, []byte(body))
	}
	setup, err := conns()
	if err != nil {
		return res, err
	}
	defer closeBenchConns(setup)
	for _, s := range []struct{ method, path, body string }{
		{"PUT", "/api/v1/settings", `{"default_country_code":254,"forms":{"RPRESULT":{"meta":{"code":"RPRESULT"},"fields":{"patient_id":{"type":"string","required":true},"outcome":{"type":"string","required":true},"visit_count":{"type":"integer"}}}}}`},
		{"POST", "/api/v1/users", `{"username":"rapidpro","password":"` + gatewayBenchPassword + `","roles":["gateway"]}`},
		{"POST", "/api/v1/places", `{"_id":"dh","type":"district_hospital","name":"D","contact":{"name":"Sender","phone":"+254712345678"}}`},
	} {
		if st, err := call(setup[0], s.method, s.path, adminHeaders, s.body); err != nil || st/100 != 2 {
			return res, fmt.Errorf("setup %s %s: %d %v", s.method, s.path, st, err)
		}
	}
	// Every node reads settings through its own cache; let them all see the form first.
	for k, b := range bases {
		for i := 0; ; i++ {
			st, err := call(setup[k], "POST", "/api/v2/records", gatewayHeaders,
				`{"_meta":{"form":"RPRESULT","from":"+254712345678"},"patient_id":"warm","outcome":"ok"}`)
			if err == nil && st == 200 {
				break
			}
			if i > 100 {
				return res, fmt.Errorf("node %s does not take records: %d %v", b, st, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	lat := make([]time.Duration, n)
	var next atomic.Int64
	var errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cs, err := conns()
			if err != nil {
				errs.Add(1)
				return
			}
			defer closeBenchConns(cs)
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				body := fmt.Sprintf(`{"_meta":{"form":"RPRESULT","from":"+254712345678"},"patient_id":"p-%d","outcome":"ok","visit_count":%d}`, i, i%9)
				t0 := time.Now()
				st, err := call(cs[i%len(cs)], "POST", "/api/v2/records", gatewayHeaders, body)
				lat[i] = time.Since(t0)
				if err != nil || st != 200 {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.Errors = errs.Load()
	res.RecordsPerSec = float64(int(float64(n)/elapsed.Seconds()*10)) / 10
	res.P50ms, res.P99ms, res.Maxms = ms(lat[n/2]), ms(lat[n*99/100]), ms(lat[n-1])
	return res, ctx.Err()
}

// startProfiles records where the time goes: waits on channels, locks and the network
// (block), contended mutexes, and CPU; stop writes them.
func startProfiles(prefix string) (func(), error) {
	runtime.SetBlockProfileRate(int(time.Millisecond / 10))
	runtime.SetMutexProfileFraction(10)
	cpu, err := os.Create(prefix + ".cpu")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		for _, name := range []string{"block", "mutex"} {
			if f, err := os.Create(prefix + "." + name); err == nil {
				pprof.Lookup(name).WriteTo(f, 0)
				f.Close()
			}
		}
	}, nil
}

const gatewayBenchPassword = "Bench!Gateway-2026"

// benchSchema makes a fresh schema on the PostgreSQL server of dsn and returns a DSN using it
// and a function dropping it.
func benchSchema(ctx context.Context, dsn string) (string, func(), error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	drop := func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
