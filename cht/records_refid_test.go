package cht

import (
	"context"
	"encoding/json"
	"testing"

	"careflow/store"
)

// A JSON form with facility_reference: the record's refid (the field upper-cased) is matched
// against contacts' rc_code and the contact attached as update_clinics does; the phone is then
// not used at all.
func TestCreateJSONFacilityReference(t *testing.T) {
	b := setupRecords(t, `{"transitions":{"update_clinics":true},"forms":{"F":{"meta":{"code":"F"},
	  "fields":{"facility_code":{"type":"string"},"note":{"type":"string"}},"facility_reference":"facility_code"}}}`)
	ctx := context.Background()
	for id, f := range map[string]string{
		"dh":      `{"type":"district_hospital","name":"DH"}`,
		"hc":      `{"type":"health_center","name":"HC","rc_code":"hc-9","contact":{"_id":"p-nurse"},"parent":{"_id":"dh"}}`,
		"p-nurse": `{"type":"person","name":"Nurse","phone":"+254700000001","parent":{"_id":"hc","parent":{"_id":"dh"}}}`,
		"cl":      `{"type":"clinic","name":"Clinic","rc_code":"CL-1","parent":{"_id":"hc","parent":{"_id":"dh"}}}`,
		"p-chw":   `{"type":"person","name":"CHW","rc_code":"per-1","phone":"+254712345678","parent":{"_id":"cl","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`,
		"v":       `{"type":"contact","contact_type":"village","name":"V","rc_code":"V-1"}`,
		"cl2":     `{"type":"clinic","name":"Clinic 2","rc_code":"gone-1","contact":{"_id":"ghost"}}`,
		"cl3":     `{"type":"clinic","name":"Clinic 3","rc_code":"odd-1","contact":{"name":"no id"}}`,
	} {
		if res, err := b.docs.Store.WriteDocs(ctx, []store.DocWrite{{ID: id, Fields: []byte(f)}}); err != nil || res[0].Err != nil {
			t.Fatal(err, res)
		}
	}
	notFound := `[{"code":"sys.facility_not_found","message":"Facility not found."}]`
	cases := []struct {
		name, code                       string // code: the facility_code member, "" for none
		wantRefid, wantContact, wantErrs string
	}{
		{"PlaceByPrimaryContact", `"hc-9"`, `"HC-9"`, `{"_id":"p-nurse","parent":{"_id":"hc","parent":{"_id":"dh"}}}`, `[]`},
		{"PlaceWithoutPrimaryContact", `"cl-1"`, `"CL-1"`, `{"parent":{"_id":"cl","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`, `[]`},
		{"Person", `"Per-1"`, `"PER-1"`, `{"_id":"p-chw","parent":{"_id":"cl","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`, `[]`},
		{"PrimaryContactWithoutID", `"odd-1"`, `"ODD-1"`, `{"name":"no id"}`, `[]`},
		{"UnknownCodeDoesNotFallBackToPhone", `"nope"`, `"NOPE"`, ``, notFound},
		{"NotAConfiguredContactType", `"v-1"`, `"V-1"`, ``, notFound},
		{"MissingPrimaryContact", `"gone-1"`, `"GONE-1"`, ``, notFound},
		{"NumberNeverMatches", `7`, `7`, ``, `[{"code":"sys.incorrect_type","message":"Incorrect type of field facility_code, expected string."},` + notFound[1:]},
		{"NoReferenceUsesPhone", ``, ``, `{"_id":"p-chw","parent":{"_id":"cl","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`, `[]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := `{"_meta":{"form":"F","from":"+254712345678"},"note":"x"`
			if c.code != "" {
				body += `,"facility_code":` + c.code
			}
			id, err := b.records.CreateJSON(ctx, []byte(body+`}`))
			if err != nil {
				t.Fatal(err)
			}
			d, err := b.docs.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var rec map[string]json.RawMessage
			if err := json.Unmarshal(d.Fields, &rec); err != nil {
				t.Fatal(err)
			}
			if string(rec["refid"]) != c.wantRefid || string(rec["contact"]) != c.wantContact || string(rec["errors"]) != c.wantErrs {
				t.Fatalf("refid %s contact %s errors %s\nin %s", rec["refid"], rec["contact"], rec["errors"], d.Fields)
			}
		})
	}
}
