package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	. "careflow/internal/testserver"
)

// TestCHTOutboundStartsFlow: the seed's "textit-self-quarantine" outbound config, pointed at
// careflow itself with an API token stored as a credential, pushes a covid_trace_follow_up
// report to flow_starts.json, and the flow then greets the patient with
// @trigger.params.self_quarantine_enrollment.
func TestCHTOutboundStartsFlow(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		f := greeter("Self quarantine", "Hello @trigger.params.name, enrolled @trigger.params.self_quarantine_enrollment")
		s.Import(Export(f))

		if st, body := s.Do("PUT", "/api/v1/credentials/textit.in", map[string]string{"Content-Type": "text/plain"},
			[]byte("Token "+c.token), "admin", ""); st != 200 {
			t.Fatalf("credential: %d %s", st, body)
		}
		// The seed's config as it is, with careflow's address and the flow's UUID filled in.
		config := `{"transitions":{"mark_for_outbound":true},"outbound":{"textit-self-quarantine": {
  "relevant_to": "doc.type === 'data_record' && doc.form === 'covid_trace_follow_up' && doc.fields.trace.symptom === 'no'",
  "destination": {"base_url": "` + s.Base + `", "auth": {"type": "header", "name": "Authorization", "value_key": "textit.in"},
    "path": "/api/v2/flow_starts.json"},
  "mapping": {
    "flow": {"expr": "'` + f.UUID + `'"},
    "urns": {"expr": "[ 'tel:' + doc.fields.inputs.contact.phone ]", "optional": false},
    "extra.self_quarantine_enrollment": {
      "expr": "new Date(doc.reported_date).getDate()+'-'+ (new Date(doc.reported_date).getMonth()+1) +'-' + new Date(doc.reported_date).getFullYear()+ ' ' + new Date(doc.reported_date).getHours() + ':' + new Date(doc.reported_date).getMinutes()",
      "optional": false},
    "extra.name": "doc.fields.inputs.contact.surname"
  }}}}`
		if st, body := s.Do("PUT", "/api/v1/settings", map[string]string{"Content-Type": "application/json"}, []byte(config), "admin", ""); st != 200 {
			t.Fatalf("settings: %d %s", st, body)
		}
		report := map[string]any{"type": "data_record", "form": "covid_trace_follow_up",
			"reported_date": time.Date(2026, 12, 4, 10, 30, 0, 0, time.UTC).UnixMilli(),
			"fields": map[string]any{"trace": map[string]any{"symptom": "no"},
				"inputs": map[string]any{"contact": map[string]any{"phone": "+254711000222", "surname": "Mwangi"}}}}
		data, _ := json.Marshal(report)
		if st, body := s.Do("PUT", "/medic/report-1", map[string]string{"Content-Type": "application/json"}, data, "admin", ""); st >= 300 {
			t.Fatalf("report: %d %s", st, body)
		}
		// A report with symptoms is not relevant: nothing is pushed for it.
		report["fields"].(map[string]any)["trace"] = map[string]any{"symptom": "yes"}
		report["fields"].(map[string]any)["inputs"] = map[string]any{"contact": map[string]any{"phone": "+254711000333", "surname": "Otieno"}}
		data, _ = json.Marshal(report)
		if st, body := s.Do("PUT", "/medic/report-2", map[string]string{"Content-Type": "application/json"}, data, "admin", ""); st >= 300 {
			t.Fatalf("report: %d %s", st, body)
		}

		got := s.Phone("+254711000222").Expect(1)
		if !dateRe.MatchString(got[0]) {
			t.Fatalf("first message %q", got[0])
		}
		s.Phone("+254711000333").Quiet(300 * time.Millisecond)

		starts := list(obj(c.expect("GET", "/api/v2/flow_starts.json", nil, 200, nil))["results"])
		if len(starts) != 1 || !strings.HasPrefix(obj(obj(starts[0])["params"])["self_quarantine_enrollment"].(string), "4-12-2026 ") {
			t.Fatalf("starts: %v", starts)
		}
	})
}
