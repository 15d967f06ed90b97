package demo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"careflow/demo"
	. "careflow/internal/testserver"
	"careflow/runtime"
)

// TestSeedWorkflow runs the seed's whole story over HTTP on one careflow, on both backends:
// the CHW's report syncs through /medic/_bulk_docs, the outbound push reaches careflow's own
// flow_starts.json, the patient gets the check-in and answers, the Call Webhook node writes
// the record back through the Gateway user, the keyword starts the assessment, the greeting
// flow finds the patient through contacts-by-phone, and the campaign checks in on days 1 to 14.
func TestSeedWorkflow(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		t0 := time.Now().UTC().Truncate(24 * time.Hour).Add(10 * time.Hour)
		s := Start(t, backend, Options{Clock: runtime.NewManualClock(t0)})
		st, err := demo.NewLoader(s.Srv, s.Base, s.Base).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		story(t, s, s, st, t0)
	})
}

// TestSeedWorkflowTwoProcesses runs the same story with careflow's halves on two careflows:
// one stands in for CHT, the other for RapidPro, each reaching the other over HTTP only.
func TestSeedWorkflowTwoProcesses(t *testing.T) {
	t0 := time.Now().UTC().Truncate(24 * time.Hour).Add(10 * time.Hour)
	chtSide := Start(t, "sqlite", Options{})
	rapidpro := Start(t, "sqlite", Options{Clock: runtime.NewManualClock(t0)})
	l := &demo.Loader{CHT: chtSide.Srv, Messaging: rapidpro.Srv, CHTURL: chtSide.Base, MessagingURL: rapidpro.Base}
	st, err := l.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	story(t, chtSide, rapidpro, st, t0)
}

func story(t *testing.T, chtSide, rapidpro *Server, st *demo.State, t0 time.Time) {
	t.Helper()
	ctx := context.Background()
	report := func(id, phone, surname, symptom string) {
		t.Helper()
		doc := map[string]any{"_id": id, "type": "data_record", "form": "covid_trace_follow_up", "content_type": "xml",
			"reported_date": t0.UnixMilli(), "contact": map[string]any{"_id": "demo-chw", "parent": map[string]any{"_id": "demo-area"}},
			"fields": map[string]any{"trace": map[string]any{"symptom": symptom},
				"inputs": map[string]any{"contact": map[string]any{"phone": phone, "surname": surname}}}}
		body, _ := json.Marshal(map[string]any{"docs": []any{doc}})
		status, out := chtSide.Do("POST", "/medic/_bulk_docs", map[string]string{"Content-Type": "application/json"}, body, demo.CHWUser, st.CHWPassword)
		if status != http.StatusCreated || !strings.Contains(string(out), `"ok":true`) {
			t.Fatalf("the CHW's report: %d %s", status, out)
		}
	}
	records := func() []map[string]any {
		t.Helper()
		q := url.Values{"key": {`["data_record"]`}, "include_docs": {"true"}}
		status, out := chtSide.Do("GET", "/medic/_design/medic-client/_view/doc_by_type?"+q.Encode(), nil, nil, demo.GatewayUser, st.GatewayPassword)
		if status != http.StatusOK {
			t.Fatalf("records: %d %s", status, out)
		}
		var view struct {
			Rows []struct {
				Doc map[string]any `json:"doc"`
			} `json:"rows"`
		}
		if err := json.Unmarshal(out, &view); err != nil {
			t.Fatal(err)
		}
		var checkins []map[string]any
		for _, r := range view.Rows {
			if r.Doc["form"] == "RPCHECKIN" {
				checkins = append(checkins, r.Doc)
			}
		}
		return checkins
	}
	checkin := "this is your self-quarantine check-in"

	// Jane has no symptoms on the CHW's visit: the push starts the check-in; she has some now.
	jane := rapidpro.Phone(demo.PatientPhone)
	report("report-jane", demo.PatientPhone, "Wanjiru", "no")
	if got := jane.Expect(1); !strings.Contains(got[0], checkin) {
		t.Fatalf("Jane's first message: %q", got)
	}
	jane.Send("yes")
	if got := jane.Expect(1); !strings.Contains(got[0], "A community health worker will call you soon") {
		t.Fatalf("after yes: %q", got)
	}
	var recs []map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for len(recs) == 0 && time.Now().Before(deadline) {
		recs = records()
		time.Sleep(50 * time.Millisecond)
	}
	if len(recs) != 1 {
		t.Fatalf("check-in records: %v", recs)
	}
	rec := recs[0]
	fields, _ := rec["fields"].(map[string]any)
	contact, _ := rec["contact"].(map[string]any)
	if rec["from"] != demo.PatientPhone || fields["new_symptoms"] != "yes" || fields["patient_phone"] != demo.PatientPhone ||
		contact["_id"] != "demo-patient-1" {
		t.Fatalf("the record written back: %v", rec)
	}

	// Peter has no new symptoms: told about the next check-in, and nothing is written back.
	peter := rapidpro.Phone("+254712000222")
	report("report-peter", "+254712000222", "Mwangi", "no")
	peter.Expect(1)
	peter.Send("no")
	if got := peter.Expect(1); !strings.Contains(got[0], "another check-in message in three days") {
		t.Fatalf("after no: %q", got)
	}
	rapidpro.Idle()
	if n := len(records()); n != 1 {
		t.Fatalf("%d check-in records after Peter's no, want still 1", n)
	}
	// A report with symptoms is not pushed: Mary gets no check-in.
	mary := rapidpro.Phone("+254712000333")
	report("report-mary", "+254712000333", "Achieng", "yes")
	mary.Quiet(500 * time.Millisecond)

	// The keyword starts the assessment; the greeting finds Jane in CHT by her phone.
	mary.Send("Assessment please")
	if got := mary.Expect(1); !strings.HasPrefix(got[0], "Health assessment. Do you have a fever?") {
		t.Fatalf("assessment: %q", got)
	}
	jane.Send("hello")
	if got := jane.Expect(1); got[0] != "Hello Jane Wanjiru! You are registered at Kibera Health Centre." {
		t.Fatalf("greeting: %q", got)
	}

	// The campaign: a check-in each day for 14 days after enrolment, then none.
	clock := rapidpro.Clock
	for day := 1; day <= 15; day++ {
		clock.Advance(24 * time.Hour)
		if _, err := rapidpro.Srv.Runtime.FireTimers(ctx); err != nil {
			t.Fatal(err)
		}
		rapidpro.Idle()
		if day <= 14 {
			if got := peter.Expect(1); !strings.Contains(got[0], checkin) {
				t.Fatalf("day %d: %q", day, got)
			}
		} else {
			peter.Quiet(300 * time.Millisecond)
		}
	}
}

// TestDemoLoadRefusesClash: loading into a careflow that already has what the demo makes (a
// user name taken, the flows already there) is refused, naming each clash, and changes
// nothing.
func TestDemoLoadRefusesClash(t *testing.T) {
	s := Start(t, "sqlite", Options{})
	ctx := context.Background()
	if err := s.Srv.Users.CreateDirect(ctx, demo.GatewayUser, "Some-Passw0rd!", []string{"gateway"}); err != nil {
		t.Fatal(err)
	}
	_, err := demo.NewLoader(s.Srv, s.Base, s.Base).Load(ctx)
	if err == nil || !strings.Contains(err.Error(), `a user named "rapidpro" already exists`) {
		t.Fatalf("load over a taken user name: %v", err)
	}
	if n, _ := s.Srv.Store.CountDocs(ctx); n != 0 {
		t.Fatalf("a refused load wrote %d documents", n)
	}
	if flows, _ := s.Srv.Runtime.Store.ListFlows(ctx, s.Workspace.ID, true); len(flows) != 0 {
		t.Fatalf("a refused load imported %d flows", len(flows))
	}

	fresh := Start(t, "sqlite", Options{})
	if _, err := demo.NewLoader(fresh.Srv, fresh.Base, fresh.Base).Load(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = demo.NewLoader(fresh.Srv, fresh.Base, fresh.Base).Load(ctx)
	if err == nil || !strings.Contains(err.Error(), `the flow "Self-quarantine check-in" is already there`) {
		t.Fatalf("second load: %v", err)
	}
}
