package main

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"careflow/cht"
	"careflow/store"
	"careflow/store/storetest"
)

// TestCHTUsersInfo asks GET /api/v1/users-info over HTTP, on both backends, how much offline
// users replicate: online callers with can_update_users about a prospective user, offline
// users about themselves, and CHT's refusals.
func TestCHTUsersInfo(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) string{
		"sqlite":   func(*testing.T) string { return "" },
		"postgres": storetest.PostgresSchemaDSN,
	} {
		t.Run(name, func(t *testing.T) {
			cs, err := startCHTServerOn(context.Background(), open(t))
			if err != nil {
				t.Fatal(err)
			}
			defer cs.close()
			seedUsersInfo(t, cs)
			for _, c := range usersInfoCases() {
				t.Run(c.name, func(t *testing.T) {
					status, body, err := cs.do("GET", "/api/v1/users-info"+c.query, map[string]string{"Accept": "application/json"}, nil, c.user, usersInfoPassword)
					if err != nil {
						t.Fatal(err)
					}
					if status != c.status || !jsonEqual(body, []byte(c.want)) {
						t.Fatalf("got %d %s, want %d %s", status, body, c.status, c.want)
					}
				})
			}
		})
	}
}

const usersInfoPassword = "Users-Info-Pa55!"

type usersInfoCase struct {
	name, user, query string
	status            int
	want              string
}

func counts(total, warn int) string {
	b, _ := json.Marshal(cht.DocCounts{TotalDocs: total, WarnDocs: warn, Warn: false, Limit: cht.DocIDsWarnLimit})
	return string(b)
}

func usersInfoCases() []usersInfoCase {
	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return "?" + v.Encode()
	}
	// Below hc: 2 fixed ids (_design/medic-client, the user's settings), 4 "_all" documents
	// (settings, resources, a form, translations), the contacts hc, cl, p1, p2, the reports
	// r1 (P1's short code), r3 (CL1's), r4 (an SMS from p1) and r6 (private, about hc, from
	// p2) and p1's target: 15. r2 is about someone elsewhere, r5 is private about hc from an
	// outsider, r7 is unassigned. The nurse's own task counts in total_docs only.
	all := counts(15, 15)
	return []usersInfoCase{
		{"OnlineCallerAboutPlace", "boss", q("role", "chw", "facility_id", "hc", "contact_id", "p2"), 200, all},
		{"RoleAsJSONArray", "boss", q("role", `["random","chw"]`, "facility_id", "hc"), 200, all},
		{"ContactParameterOfCHTConf", "admin2", q("role", `["chw"]`, "facility_id", "hc", "contact", "p2"), 200, all},
		{"ReplicationDepth", "boss", q("role", "chw_shallow", "facility_id", "hc"), 200, counts(11, 11)},
		{"UnknownFacility", "boss", q("role", "chw", "facility_id", "nowhere"), 200, counts(6, 6)},
		{"OfflineUserCountsItself", "nurse", "", 200, counts(16, 15)},
		{"OfflineUserQueryIgnored", "nurse", q("role", "chw", "facility_id", "other"), 200, counts(16, 15)},
		{"OnlineWithoutPermission", "sup", q("role", "chw", "facility_id", "hc"), 403, `{"code":403,"error":"Insufficient privileges"}`},
		{"MissingFacility", "boss", q("role", "chw"), 400, `{"code":400,"error":"Missing required query params: role and/or facility_id"}`},
		{"MissingRole", "boss", q("facility_id", "hc"), 400, `{"code":400,"error":"Missing required query params: role and/or facility_id"}`},
		{"OnlineRole", "boss", q("role", `["chw","mm-online"]`, "facility_id", "hc"), 400, `{"code":400,"error":"Provided role is not offline"}`},
		{"RolesNotStrings", "boss", q("role", `["chw",1]`, "facility_id", "hc"), 400, `{"code":400,"error":"All roles should be strings"}`},
		{"RoleNotArray", "boss", q("role", `{"a":1}`, "facility_id", "hc"), 400, `{"code":400,"error":"Role parameter must be either a string or a JSON encoded array"}`},
		{"Unauthenticated", "", q("role", "chw", "facility_id", "hc"), 401, `{"code":401,"error":"unauthorized"}`},
	}
}

func seedUsersInfo(t *testing.T, cs *chtServer) {
	t.Helper()
	ctx := context.Background()
	err := cs.setSettings(json.RawMessage(`{
	  "roles": {"chw": {"offline": true}, "chw_shallow": {"offline": true}, "national_admin": {}, "supervisor": {}},
	  "permissions": {"can_update_users": ["national_admin"]},
	  "replication_depth": [{"role": "chw_shallow", "depth": "1"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{
		"dh":          `{"type":"district_hospital","name":"DH"}`,
		"hc":          `{"type":"health_center","name":"HC","parent":{"_id":"dh"}}`,
		"cl":          `{"type":"clinic","name":"CL","place_id":"CL1","parent":{"_id":"hc","parent":{"_id":"dh"}}}`,
		"p1":          `{"type":"person","name":"P1","patient_id":"P1","parent":{"_id":"cl","parent":{"_id":"hc","parent":{"_id":"dh"}}}}`,
		"p2":          `{"type":"person","name":"P2","parent":{"_id":"hc","parent":{"_id":"dh"}}}`,
		"other":       `{"type":"health_center","name":"Other","parent":{"_id":"dh"}}`,
		"p3":          `{"type":"person","name":"P3","parent":{"_id":"other","parent":{"_id":"dh"}}}`,
		"resources":   `{"resources":{}}`,
		"form:visit":  `{"type":"form","internalId":"visit"}`,
		"messages-en": `{"type":"translations","code":"en"}`,
		"r1":          `{"type":"data_record","form":"V","fields":{"patient_id":"P1"},"contact":{"_id":"p3"}}`,
		"r2":          `{"type":"data_record","form":"V","fields":{"patient_uuid":"p3"},"contact":{"_id":"p2"}}`,
		"r3":          `{"type":"data_record","form":"V","fields":{"place_id":"CL1"}}`,
		"r4":          `{"type":"data_record","sms_message":{"message":"hi"},"contact":{"_id":"p1"}}`,
		"r5":          `{"type":"data_record","form":"V","place_id":"hc","fields":{"private":true},"contact":{"_id":"p3"}}`,
		"r6":          `{"type":"data_record","form":"V","place_id":"hc","fields":{"private":true},"contact":{"_id":"p2"}}`,
		"r7":          `{"type":"data_record","sms_message":{"message":"who?"}}`,
		"task-1":      `{"type":"task","user":"org.couchdb.user:nurse"}`,
		"target-1":    `{"type":"target","owner":"p1"}`,
	}
	for id, f := range docs {
		res, err := cs.srv.Store.WriteDocs(ctx, []store.DocWrite{{ID: id, Fields: json.RawMessage(f)}})
		if err != nil || res[0].Err != nil {
			t.Fatal(id, err, res)
		}
	}
	hash, err := cht.HashPassword(usersInfoPassword, chtTestIterations)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{
		{Name: "boss", Roles: []string{"national_admin", "mm-online"}},
		{Name: "admin2", Roles: []string{"admin"}},
		{Name: "sup", Roles: []string{"supervisor", "mm-online"}},
		{Name: "nurse", Roles: []string{"chw"}, Settings: json.RawMessage(`{"name":"nurse","type":"user-settings","facility_id":"hc","contact_id":"p2"}`)},
	} {
		u.PasswordHash = hash
		if u.Settings == nil {
			u.Settings = json.RawMessage(`{}`)
		}
		if _, err := cs.srv.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}
