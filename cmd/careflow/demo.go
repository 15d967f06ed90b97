package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"careflow/demo"
	"careflow/server"
)

// `careflow demo` loads the seed's workflow and plays its people: the CHW whose app syncs a
// report, and the patient answering the flow on the test channel.
func init() {
	register("demo", "the seed's workflow: demo load | demo report [PHONE] [-symptom no] | demo phone PHONE [TEXT] | demo records", runDemo)
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: careflow demo load [-public-url URL] | demo report [PHONE] [-symptom yes|no] | demo phone PHONE [TEXT] | demo records"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "load":
		return runDemoLoad(ctx, args[1:], stdout, stderr)
	case "report":
		return runDemoReport(ctx, args[1:], stdout, stderr)
	case "phone":
		return runDemoPhone(ctx, args[1:], stdout, stderr)
	case "records":
		return runDemoRecords(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown demo command %q; %s", args[0], usage)
}

// publicURL is how flows and the outbound push reach a server listening on addr.
func publicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// loadDemo loads the demo into a running server and prints what to do next.
func loadDemo(ctx context.Context, srv *server.Server, connect, public string, stdout io.Writer) error {
	l := demo.NewLoader(srv, connect, public)
	st, err := l.Load(ctx)
	if err != nil {
		return err
	}
	if err := demo.SaveState(srv.Config.DataDir, st); err != nil {
		return err
	}
	printDemoGuide(stdout, st)
	return nil
}

func printDemoGuide(w io.Writer, st *demo.State) {
	fmt.Fprintf(w, `
careflow: the seed's workflow is loaded (docs/seed-walkthrough.md tells the story).
  Open          %[1]s/  (sign in as admin with the password printed when the data folder was made)
  Users         %[2]s / %[3]s  (the Gateway user the flows call CHT as)
                %[4]s / %[5]s  (the CHW, Akinyi Otieno)
  API token     %[6]s  (kept as the credential textit.in the outbound push sends)
  Test channel  %[1]s/c/test/%[7]s/receive

Walk through it (from this folder, with careflow serve running):
  1. The CHW's report about Jane syncs from the app:   careflow demo report %[8]s -symptom no
  2. Jane's phone gets the check-in; she answers:      careflow demo phone %[8]s yes
  3. The record the flow wrote back, seen from CHT:    careflow demo records
  Also: careflow demo phone %[8]s assessment   (the keyword trigger) and   careflow demo phone %[8]s hello
`, st.PublicURL, demo.GatewayUser, st.GatewayPassword, demo.CHWUser, st.CHWPassword, st.APIToken, st.ChannelUUID, demo.PatientPhone)
}

func runDemoLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	public := fs.String("public-url", "", "how flows reach this careflow (default: from -addr)")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if *public == "" {
		*public = publicURL(cfg.Addr)
	}
	listen := cfg.Addr
	cfg.Addr = "127.0.0.1:0" // the APIs the loader calls, on a private port while it runs
	srv, _, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx) }()
	err = loadDemo(ctx, srv, "http://"+addr, *public, stdout)
	stop()
	<-done
	if err == nil {
		fmt.Fprintf(stdout, "Start it with: careflow serve -addr %s -data %s\n", listen, cfg.DataDir)
	}
	return err
}

// demoArgs reads a demo command's arguments (positional ones may come before the flags) and
// the state the demo's load kept in the data folder.
type demoArgs struct {
	pos     []string
	symptom string
	state   *demo.State
}

func parseDemoArgs(args []string, name string, stderr io.Writer) (*demoArgs, error) {
	fs := flag.NewFlagSet("demo "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", env("CAREFLOW_DATA", "data"), "the data folder the demo was loaded into")
	symptom := fs.String("symptom", "no", "the report's trace.symptom (demo report)")
	var pos []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		pos, args = append(pos, args[0]), args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return nil, exitError{code: 2}
	}
	st, err := demo.ReadState(*dir)
	if err != nil {
		return nil, err
	}
	return &demoArgs{pos: append(pos, fs.Args()...), symptom: *symptom, state: st}, nil
}

func demoRequest(method, url, user, password, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := (&http.Client{Timeout: 40 * time.Second}).Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("is careflow serve running? %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, data, err
}

// runDemoReport sends the CHW's covid_trace_follow_up report about a patient, as the CHT app
// syncs it (POST /medic/_bulk_docs as the CHW).
func runDemoReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseDemoArgs(args, "report", stderr)
	if err != nil {
		return err
	}
	st, symptom := a.state, a.symptom
	phone, surname, patient := demo.PatientPhone, "Wanjiru", "demo-patient-1"
	if len(a.pos) > 0 && a.pos[0] != demo.PatientPhone {
		phone, surname, patient = a.pos[0], "", ""
	}
	doc := map[string]any{"_id": fmt.Sprintf("demo-report-%d", time.Now().UnixMilli()), "type": "data_record", "form": "covid_trace_follow_up",
		"content_type": "xml", "reported_date": time.Now().UnixMilli(),
		"contact": map[string]any{"_id": "demo-chw", "parent": map[string]any{"_id": "demo-area"}},
		"fields": map[string]any{"trace": map[string]any{"symptom": symptom},
			"inputs": map[string]any{"contact": map[string]any{"_id": patient, "phone": phone, "surname": surname}}}}
	body, _ := json.Marshal(map[string]any{"docs": []any{doc}})
	status, data, err := demoRequest("POST", st.PublicURL+"/medic/_bulk_docs", demo.CHWUser, st.CHWPassword, "application/json", body)
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		return fmt.Errorf("report: %d %s", status, data)
	}
	fmt.Fprintf(stdout, "report %s synced (trace.symptom = %s); with no symptoms CHT's outbound push starts the check-in flow for %s\n", doc["_id"], symptom, phone)
	return nil
}

// runDemoPhone plays a phone on the test channel: sends TEXT if given, then prints what the
// phone receives within a few seconds.
func runDemoPhone(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseDemoArgs(args, "phone", stderr)
	if err != nil {
		return err
	}
	st := a.state
	if len(a.pos) == 0 {
		return errors.New("usage: careflow demo phone PHONE [TEXT]")
	}
	phone := a.pos[0]
	base := st.MessagingURL + "/c/test/" + st.ChannelUUID
	// Only what arrives after this command started is shown: the newest message id first.
	var last int64
	status, data, err := demoRequest("GET", base+"/outbox?urn="+url.QueryEscape(phone), demo.GatewayUser, st.GatewayPassword, "", nil)
	if err != nil {
		return err
	}
	var box struct {
		Messages []struct {
			ID   int64  `json:"id"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if status == http.StatusOK && json.Unmarshal(data, &box) == nil {
		for _, m := range box.Messages {
			if len(a.pos) == 1 {
				fmt.Fprintf(stdout, "<- %s\n", m.Text)
			}
			last = max(last, m.ID)
		}
	}
	if len(a.pos) > 1 {
		text := strings.Join(a.pos[1:], " ")
		body, _ := json.Marshal(map[string]string{"from": phone, "text": text})
		if status, data, err := demoRequest("POST", base+"/receive", "", "", "application/json", body); err != nil || status != http.StatusOK {
			return fmt.Errorf("send: %d %s %v", status, data, err)
		}
		fmt.Fprintf(stdout, "-> %s\n", text)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		status, data, err := demoRequest("GET", fmt.Sprintf("%s/outbox?urn=%s&after=%d&wait=2s", base, url.QueryEscape(phone), last),
			demo.GatewayUser, st.GatewayPassword, "", nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("outbox: %d %s", status, data)
		}
		box.Messages = nil
		if err := json.Unmarshal(data, &box); err != nil {
			return err
		}
		for _, m := range box.Messages {
			fmt.Fprintf(stdout, "<- %s\n", m.Text)
			last = max(last, m.ID)
		}
	}
	return nil
}

// runDemoRecords lists the check-in records the flows wrote back to CHT.
func runDemoRecords(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseDemoArgs(args, "records", stderr)
	if err != nil {
		return err
	}
	st := a.state
	q := url.Values{"key": {`["data_record"]`}, "include_docs": {"true"}}
	status, data, err := demoRequest("GET", st.PublicURL+"/medic/_design/medic-client/_view/doc_by_type?"+q.Encode(), demo.GatewayUser, st.GatewayPassword, "", nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("records: %d %s", status, data)
	}
	var view struct {
		Rows []struct {
			Doc map[string]any `json:"doc"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(data, &view); err != nil {
		return err
	}
	n := 0
	for _, r := range view.Rows {
		if r.Doc["form"] != "RPCHECKIN" {
			continue
		}
		n++
		fields, _ := json.Marshal(r.Doc["fields"])
		contact := ""
		if c, ok := r.Doc["contact"].(map[string]any); ok {
			contact, _ = c["name"].(string)
			if contact == "" {
				contact, _ = c["_id"].(string)
			}
		}
		fmt.Fprintf(stdout, "%s  from %v  contact %q  fields %s\n", r.Doc["_id"], r.Doc["from"], contact, fields)
	}
	if n == 0 {
		fmt.Fprintln(stdout, "no RPCHECKIN records yet: answer the check-in with yes first (careflow demo phone ... yes)")
	}
	return nil
}
