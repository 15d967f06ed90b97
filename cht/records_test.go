package cht

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"careflow/store/storetest"
)

// recordsBundle is a records service on a fresh SQLite store, its clock fixed.
type recordsBundle struct {
	records  *Records
	settings *Settings
	docs     *Docs
}

func setupRecords(t *testing.T, settings string) recordsBundle {
	t.Helper()
	st := storetest.OpenSQLite(t)
	docs := NewDocs(st)
	s := NewSettings(st)
	if _, err := s.Update(context.Background(), []byte(settings), MergeOverwrite); err != nil {
		t.Fatal(err)
	}
	r := NewRecords(docs, s, NewContacts(docs, s))
	r.Now = func() time.Time { return time.UnixMilli(1777629600000) }
	r.Location = time.UTC
	return recordsBundle{records: r, settings: s, docs: docs}
}

const smsForm = `{"forms":{"R":{"meta":{"code":"R"},"fields":{
  "patient_id":{"type":"string","required":true,"labels":{"tiny":"pid","short":"Patient"}},
  "weight":{"type":"integer","labels":{"tiny":{"en":"wt"}}},
  "sick":{"type":"boolean","labels":{"tiny":"sk"}},
  "visit":{"type":"date","labels":{"tiny":"vd"}},
  "note":{"type":"string","labels":{"tiny":"nt"}}}}}}`

func TestCreateSMS(t *testing.T) {
	b := setupRecords(t, smsForm)
	str := func(s string) *string { return &s }
	cases := []struct {
		name string
		sms  SMS
		want string
	}{
		{"TextformsByLabel", SMS{Message: str("R pid 123 #wt 12 #sk 1 #nt all good"), From: str("+254712345678")},
			`{"type":"data_record","from":"+254712345678","form":"R","errors":[],"tasks":[],"fields":{"patient_id":"123","weight":12,"sick":true,"note":"all good"},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"R pid 123 #wt 12 #sk 1 #nt all good","form":"R","from":"+254712345678"}}`},
		{"CompactByPosition", SMS{Message: str("R 77 40 0 2026-01-02 fever and cough"), From: str("+254712345678")},
			`{"type":"data_record","from":"+254712345678","form":"R","errors":[],"tasks":[],"fields":{"patient_id":"77","weight":40,"sick":false,"visit":1767312000000,"note":"fever and cough"},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"R 77 40 0 2026-01-02 fever and cough","form":"R","from":"+254712345678"}}`},
		{"MuvukuWithOmittedAndExtra", SMS{Message: str("1!R!55#x#1#2026-01-02#n#extra"), From: str("")},
			`{"type":"data_record","from":"","form":"R","errors":[{"code":"extra_fields","message":"Extra fields."}],"tasks":[],"fields":{"patient_id":"55","weight":null,"sick":true,"visit":1767312000000,"note":"n"},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"1!R!55#x#1#2026-01-02#n#extra","form":"R","from":""}}`},
		{"JavaRosaByLabel", SMS{Message: str(`J1!R!wt#12#PID#a\#1#sk#0`), From: str("+254712345678")},
			`{"type":"data_record","from":"+254712345678","form":"R","errors":[],"tasks":[],"fields":{"patient_id":"a#1","weight":12,"sick":false},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"J1!R!wt#12#PID#a\\#1#sk#0","form":"R","from":"+254712345678"}}`},
		{"UnknownFormIsAPlainMessage", SMS{Message: str("hello there"), From: str("+254712345678"), GatewayRef: str("g-1"), SentTimestamp: str("2026-05-01T10:00:00Z")},
			`{"type":"data_record","from":"+254712345678","errors":[],"tasks":[],"fields":{},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"hello there","form":"HELLO","reported_date":"2026-05-01T10:00:00Z","from":"+254712345678","gateway_ref":"g-1"}}`},
		{"EmptyMessageFlagged", SMS{Message: str("  "), From: str("+254712345678")},
			`{"type":"data_record","from":"+254712345678","errors":[{"code":"sys.empty","message":"Message appears empty."}],"tasks":[],"fields":{},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"  ","from":"+254712345678"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := b.records.CreateSMS(context.Background(), tc.sms, "")
			if err != nil {
				t.Fatal(err)
			}
			d, err := b.docs.Get(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if string(d.Fields) != tc.want {
				t.Fatalf("record\n got  %s\n want %s", d.Fields, tc.want)
			}
		})
	}
}

func TestCreateJSONKeepsDeclarationOrder(t *testing.T) {
	b := setupRecords(t, `{"forms":{"T":{"meta":{"code":"T"},"fields":{"zeta":{"type":"string","required":true},"alpha":{"type":"integer","required":true},"mid.sub":{"type":"integer"}}}}}`)
	cases := []struct {
		name, body, wantFields, wantErrors string
	}{
		{"MissingListedInDeclarationOrder", `{"_meta":{"form":"t"}}`, `{}`,
			`[{"code":"sys.missing_fields","message":"Missing or invalid fields: zeta,alpha."}]`},
		{"FieldsInDeclarationOrder", `{"_meta":{"form":"T"},"alpha":1,"ZETA":"z","mid":{"sub":2,"other":3}}`, `{"zeta":"z","alpha":1,"mid":{"sub":2}}`, `[]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := b.records.CreateJSON(context.Background(), []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			d, _ := b.docs.Get(context.Background(), id)
			var doc struct {
				Fields json.RawMessage `json:"fields"`
				Errors json.RawMessage `json:"errors"`
			}
			json.Unmarshal(d.Fields, &doc)
			if string(doc.Fields) != tc.wantFields || string(doc.Errors) != tc.wantErrors {
				t.Fatalf("fields %s errors %s", doc.Fields, doc.Errors)
			}
		})
	}
	// A later deep merge that adds a field keeps the declared ones first.
	if _, err := b.settings.Update(context.Background(), []byte(`{"forms":{"T":{"fields":{"beta":{"type":"string","required":true}}}}}`), MergeDeep); err != nil {
		t.Fatal(err)
	}
	id, _ := b.records.CreateJSON(context.Background(), []byte(`{"_meta":{"form":"T"}}`))
	d, _ := b.docs.Get(context.Background(), id)
	if want := `"Missing or invalid fields: zeta,alpha,beta."`; !strings.Contains(string(d.Fields), want) {
		t.Fatalf("after merge: %s", d.Fields)
	}
}

func TestCreateJSONRefusals(t *testing.T) {
	b := setupRecords(t, `{"forms":{"T":{"meta":{"code":"T"},"fields":{}}}}`)
	cases := []struct {
		name, body, details string
	}{
		{"NoMeta", `{"a":1}`, "Missing _meta property."},
		{"EmptyMeta", `{"_meta":""}`, "Missing _meta property."},
		{"NoForm", `{"_meta":{}}`, "Missing required field: form"},
		{"UnknownForm", `{"_meta":{"form":"x"}}`, "Form not found: X"},
		{"NonObjectBody", `[1]`, "Missing _meta property."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.records.CreateJSON(context.Background(), []byte(tc.body))
			e, ok := err.(*Error)
			if !ok || e.Status != 500 || e.Details != tc.details {
				t.Fatalf("err %#v", err)
			}
		})
	}
	if n, _ := b.docs.Store.CountDocs(context.Background()); n != 0 {
		t.Fatalf("refused records wrote %d docs", n)
	}
}
