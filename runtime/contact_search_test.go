package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"careflow/engine"
	"careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

// searchContact is a contact seeded for TestContactSearchMatchesEvaluate.
type searchContact struct {
	name, lang, status string
	urns               []string
	fields             string // the fields JSON as stored, raw so odd values can be written
	groups             []string
	flow               bool
	created, seen      string // RFC 3339; seen "" for never
}

// searchContacts cover the edges of each property: Unicode case folding, surrounding spaces,
// location paths, numbers kept as JSON strings and beyond double precision, datetimes on and
// around midnight in the workspace's timezone (Africa/Kigali, UTC+2), missing and empty values.
var searchContacts = []searchContact{
	{name: "Ann Smith", lang: "eng", urns: []string{"tel:+250788000001"}, groups: []string{"Alpha"}, flow: true,
		fields:  `{"age":{"text":"30","number":30},"nick":{"text":"Annie"},"dob":{"text":"x","datetime":"2020-01-02T00:00:00.000000+02:00"},"region":{"text":"Kigali City","state":"Rwanda > Kigali City"}}`,
		created: "2020-01-01T22:00:00Z", seen: "2020-01-05T10:00:00Z"},
	{name: "ann-marie O'Brien", lang: "fra", status: "blocked", urns: []string{"tel:+250788000002", "whatsapp:250788000002"},
		fields:  `{"age":{"text":"30.5","number":30.5},"dob":{"text":"x","datetime":"2020-01-01T23:59:59.999999+02:00"},"region":{"text":"x","state":"Kigali City"}}`,
		created: "2020-01-01T21:59:59.999Z"},
	{name: "\u212Aelvin Jones", urns: []string{"mailto:Ann@Example.com"}, groups: []string{"Alpha", "Beta"},
		fields:  `{"age":{"text":"30","number":"30"},"dob":{"text":"x","datetime":"2020-01-02T22:00:00.000000Z"}}`,
		created: "2020-01-02T12:00:00Z", seen: "2020-01-01T00:00:00Z"},
	{name: "  Bob  ", status: "stopped", urns: []string{"twitter:Bob_Smith"},
		fields:  `{"age":{"text":"","number":0.1},"nick":{"text":""},"dob":{"text":"x","datetime":"2020-01-02T21:59:59.500000Z"}}`,
		created: "2020-01-03T00:00:00Z"},
	{name: "José Álvarez", lang: "spa", urns: []string{"tel:+250788000099"}, groups: []string{"Beta"},
		fields:  `{"age":{"text":"x","number":0.10000000000000000001},"nick":{"text":" annie "},"region":{"text":"x","state":"Rwanda > Kigali City >"}}`,
		created: "2019-12-31T23:00:00Z"},
	{name: "İpek", urns: []string{"tel:+250788000100"},
		fields:  `{"age":{"text":"x","number":123456789012345678901234567890},"nick":{"text":"İPEK"},"dob":null}`,
		created: "2020-01-02T00:00:00Z"},
	{name: "", urns: nil, fields: ``, created: "2020-01-02T00:00:00Z"},
	{name: "Mary-Jane Watson", lang: "eng", urns: []string{"tel:+250788123456"}, fields: `{"age":null,"nick":{"text":"MJ"}}`,
		created: "2020-01-04T00:00:00Z", seen: "2020-01-02T21:59:59.999Z"},
	{name: "李小龙", urns: []string{"wechat:lixiaolong"}, fields: `{"age":{"text":"x","number":-5},"region":{"text":"x","state":"Rwanda > 北京"}}`,
		created: "2020-01-02T10:00:00Z"},
	{name: "Contacts Manager", urns: []string{"tel:+250788000003"}, fields: `{"age":{"text":"x","number":29.9999999999999999999}}`,
		created: "2020-01-02T10:00:00Z"},
	{name: "Tab\tName", urns: []string{"ext:Tab Path "}, fields: `{"nick":{"text":"tab\tname"}}`, created: "2020-01-02T10:00:00Z"},
}

// searchQueries are run through both the database and Evaluate; {uuid} and {id} are the first
// contact's.
var searchQueries = []string{
	`name = "Ann Smith"`, `name = " ann smith "`, `name = "KELVIN JONES"`, `name = "kelvin jones"`, `name = "josé álvarez"`,
	`name = "JOSÉ ÁLVAREZ"`, `name = "bob"`, `name = "İpek"`, `name = "i̇pek"`, `name != "Ann Smith"`, `name = ""`, `name != ""`,
	`name ~ "ann"`, `name ~ "mar"`, `name ~ "jane"`, `name ~ "brien"`, `name ~ "o'brien"`, `name ~ "kel"`, `name ~ "jos"`,
	`name ~ "李"`, `name ~ "contactsxyz"`, `name ~ "name"`, `name ~ "álv"`, `ann`, `Ann Smith`, `"ann smith"`, `0788000001`,
	`+250788000001`, `tel = "+250788000001"`, `tel ~ 88000`, `tel != "+250788000001"`, `tel = ""`, `tel != ""`,
	`whatsapp = 250788000002`, `urn = "250788000002"`, `urn ~ "example"`, `mailto = "ann@example.com"`,
	`twitter = "BOB_SMITH"`, `urn = ""`, `urn != ""`, `ext = "tab path"`, `ext ~ "tab"`, `wechat = lixiaolong`,
	`uuid = "{uuid}"`, `uuid = "{UUID}"`, `uuid != "{uuid}"`, `uuid = "nope"`, `id = {id}`, `id = " {id} "`, `id = 0{id}`, `id != {id}`,
	`status = blocked`, `status != active`, `status = STOPPED`, `language = eng`, `language = ""`, `language != fra`,
	`group = "Alpha"`, `group = "beta"`, `group != "Alpha"`, `group = ""`, `group != ""`, `flow = "Survey"`, `flow = ""`,
	`flow != ""`, `flow != "Survey"`, `history = "Survey"`, `history != "Survey"`, `tickets = 0`, `tickets > 0`,
	`created_on = 2020-01-02`, `created_on > 2020-01-01`, `created_on < 2020-01-02`, `created_on <= 2020-01-02`,
	`created_on >= 2020-01-03`, `created_on != 2020-01-02`, `last_seen_on = ""`, `last_seen_on != ""`,
	`last_seen_on > 2020-01-01`, `last_seen_on <= 2020-01-02`, `last_seen_on = 2020-01-02`,
	`age = 30`, `age > 30`, `age >= 30`, `age < 30.5`, `age <= 30.5`, `age != 30`, `age = ""`, `age != ""`, `age = 0.1`,
	`age > 0.1`, `age < 30`, `age > 123456789012345678901234567889`, `age < -4`, `age <= -5`, `age = 30.0`,
	`nick = annie`, `nick = ""`, `nick != ""`, `nick != "annie"`, `nick = "i̇pek"`, `nick = "İPEK"`, `nick = "tab	name"`,
	`dob = 2020-01-02`, `dob > 2020-01-01`, `dob < 2020-01-02`, `dob <= 2020-01-01`, `dob >= 2020-01-03`,
	`dob != 2020-01-02`, `dob = ""`, `dob != ""`, `dob = "2020-01-02 15:00"`,
	`region = "Kigali City"`, `region = "kigali city"`, `region = ""`, `region != ""`, `region != "Kigali City"`, `region = "北京"`,
	`age > 30 OR nick = ""`, `(name ~ ann OR tel ~ 0002) AND age >= 30`, `name = "" OR age = ""`,
	`status = active AND (group = Alpha OR flow = Survey)`, `fields.age > 10 AND urns.tel != ""`,
	`age = "" OR dob = "" OR nick = ""`, `NOT_A_FIELD_NAME = 1 OR name = bob`,
}

// TestContactSearchMatchesEvaluate runs a table of queries through the database (the console's
// search, and the ID search of starts and smart groups) and through contactql.Evaluate on
// every contact, on the same contacts, and wants the same contacts from each; it also checks
// that the database's sure candidates all match and that no match is missing from them.
func TestContactSearchMatchesEvaluate(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s := testserver.Start(t, backend, testserver.Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		survey := say("Survey", "Hi")
		s.Import(testserver.Export(survey))
		ws := *s.Workspace
		ws.Timezone, ws.DateFormat = "Africa/Kigali", "YYYY-MM-DD"
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		for key, typ := range map[string]string{"age": "number", "nick": "text", "dob": "datetime", "region": "state"} {
			if err := rt.Store.SaveField(ctx, &store.Field{WorkspaceID: ws.ID, Key: key, Name: key, Type: typ}); err != nil {
				t.Fatal(err)
			}
		}
		groups := map[string]int64{}
		for _, name := range []string{"Alpha", "Beta"} {
			g := &store.Group{WorkspaceID: ws.ID, Name: name}
			if err := rt.SaveGroup(ctx, g); err != nil {
				t.Fatal(err)
			}
			groups[name] = g.ID
		}
		rt.Invalidate(ws.ID)
		var first *store.Contact
		for _, sc := range searchContacts {
			c := &store.Contact{WorkspaceID: ws.ID, Name: sc.name, Language: sc.lang, Status: sc.status, Fields: json.RawMessage(sc.fields)}
			c.CreatedOn, _ = time.Parse(time.RFC3339Nano, sc.created)
			if sc.seen != "" {
				seen, _ := time.Parse(time.RFC3339Nano, sc.seen)
				c.LastSeenOn = &seen
			}
			for _, u := range sc.urns {
				c.URNs = append(c.URNs, store.ContactURN{Identity: u})
			}
			for _, g := range sc.groups {
				c.Groups = append(c.Groups, groups[g])
			}
			if sc.flow {
				c.CurrentSessionUUID, c.CurrentFlowUUID = testserver.UUID(), survey.UUID
			}
			if err := rt.Store.CreateContact(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = c
			}
		}
		w, err := rt.Workspace(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := rt.Store.ScanContacts(ctx, ws.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		groupIDs := map[string]int64{}
		for uuid, g := range w.Groups {
			groupIDs[uuid] = g.ID
		}
		var sure, unsure int
		for _, text := range searchQueries {
			text = strings.NewReplacer("{uuid}", first.UUID, "{UUID}", strings.ToUpper(first.UUID), "{id}", fmt.Sprint(first.ID)).Replace(text)
			q, err := w.Assets.ParseQuery(w.Env, text)
			if err != nil {
				if strings.Contains(text, "NOT_A_FIELD") {
					continue
				}
				t.Fatalf("%s: %v", text, err)
			}
			var want, wantActive []int64
			for _, c := range all {
				ec, err := w.EngineContact(c)
				if err != nil {
					t.Fatal(err)
				}
				if engine.QueryMatchesWaiting(w.Env, ec, c.CurrentFlowUUID, q) {
					want = append(want, c.ID)
					if c.Status == "active" {
						wantActive = append(wantActive, c.ID)
					}
				}
			}
			cands, err := rt.Store.QueryContacts(ctx, ws.ID, store.ContactQuery{Query: q, Groups: groupIDs})
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			var maybe []int64
			for _, c := range cands {
				maybe = append(maybe, c.ID)
				if c.Sure && !slices.Contains(want, c.ID) {
					t.Errorf("%s: the database is sure of contact %d, which doesn't match", text, c.ID)
				}
				if c.Sure {
					sure++
				} else {
					unsure++
				}
			}
			for _, id := range want {
				if !slices.Contains(maybe, id) {
					t.Errorf("%s: matching contact %d is not a candidate", text, id)
				}
			}
			page, err := rt.SearchContacts(ctx, w, q, 0, 1000)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			var got []int64
			for _, c := range page {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: search found %v, Evaluate %v", text, got, want)
			}
			// the console pages through the same results a few at a time
			var paged []int64
			for after := int64(0); ; {
				part, err := rt.SearchContacts(ctx, w, q, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range part {
					paged = append(paged, c.ID)
					after = c.ID
				}
				if len(part) < 2 {
					break
				}
			}
			if !slices.Equal(paged, want) {
				t.Errorf("%s: paged search found %v, Evaluate %v", text, paged, want)
			}
			for _, active := range []bool{false, true} {
				ids, err := runtime.QueryContactIDs(rt, ctx, w, q, active)
				if err != nil {
					t.Fatal(err)
				}
				if exp := map[bool][]int64{false: want, true: wantActive}[active]; !slices.Equal(ids, exp) {
					t.Errorf("%s (active %v): ID search found %v, Evaluate %v", text, active, ids, exp)
				}
			}
		}
		t.Logf("%d queries: %d candidates the database was sure of, %d left to Evaluate", len(searchQueries), sure, unsure)
	})
}
