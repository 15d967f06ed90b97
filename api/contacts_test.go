package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	. "careflow/internal/testserver"
	"careflow/store"
)

// TestContacts: create, lookups by uuid and urn, the item's shape (every field key, nulls),
// cursor pages over 260 contacts forwards and back with absolute links keeping the filters,
// and bad bodies refused with nothing written.
func TestContacts(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		c.expect("POST", "/api/v2/fields.json", map[string]any{"name": "Nick Name", "type": "text"}, 201, nil)
		c.expect("POST", "/api/v2/fields.json", map[string]any{"label": "Age", "value_type": "numeric"}, 201, nil)
		c.expect("POST", "/api/v2/groups.json", map[string]any{"name": "Customers"}, 201, nil)

		out := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{
			"name": "Don", "language": "fra", "urns": []string{"tel:+250788000004"}, "groups": []string{"Customers"},
			"fields": map[string]any{"nick_name": "Donnie", "age": "31"},
		}, 201, nil))
		hasKeys(t, "contact", out, "uuid", "name", "status", "language", "urns", "groups", "notes", "fields", "flow",
			"created_on", "modified_on", "last_seen_on", "blocked", "stopped")
		if out["name"] != "Don" || out["status"] != "active" || list(out["urns"])[0] != "tel:+250788000004" ||
			obj(list(out["groups"])[0])["name"] != "Customers" || out["flow"] != nil || out["last_seen_on"] != nil ||
			obj(out["fields"])["nick_name"] != "Donnie" || obj(out["fields"])["age"] != "31" {
			t.Fatalf("created: %v", out)
		}
		uuid := out["uuid"].(string)
		bare := obj(c.expect("POST", "/api/v2/contacts.json", map[string]any{"urns": []string{"tel:+250788000005"}}, 201, nil))
		if bare["name"] != nil || bare["language"] != nil || obj(bare["fields"])["age"] != nil {
			t.Fatalf("bare contact: %v", bare)
		}
		// ?urn= naming no contact creates one with that URN.
		byURN := obj(c.expect("POST", "/api/v2/contacts.json?urn="+url.QueryEscape("tel:+250788000006"), map[string]any{"name": "Eve"}, 201, nil))
		if list(byURN["urns"])[0] != "tel:+250788000006" {
			t.Fatalf("urn upsert: %v", byURN)
		}

		got := list(obj(c.expect("GET", "/api/v2/contacts.json?uuid="+uuid, nil, 200, nil))["results"])
		if len(got) != 1 || obj(got[0])["uuid"] != uuid {
			t.Fatalf("by uuid: %v", got)
		}
		got = list(obj(c.expect("GET", "/api/v2/contacts.json?urn="+url.QueryEscape("tel:+250788000004")+"&expand_urns=true", nil, 200, nil))["results"])
		if len(got) != 1 || obj(list(obj(got[0])["urns"])[0])["path"] != "+250788000004" {
			t.Fatalf("by urn: %v", got)
		}
		c.expect("GET", "/api/v2/contacts.json?uuid=x&urn=y", nil, 400, map[string]string{"detail": "You may only specify one of the uuid, urn parameters"})
		c.expect("GET", "/api/v2/contacts.json?deleted=true", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})
		c.expect("GET", "/api/v2/contacts.json?after=garbage", nil, 200, map[string]any{"next": nil, "previous": nil, "results": []any{}})

		for _, tc := range []struct{ name, body, want string }{
			{"TakenURN", `{"urns":["tel:+250788000004"]}`, `{"urns":{"0":["URN is in use by another contact."]}}`},
			{"BadLanguage", `{"language":"english"}`, `{"language":["Ensure this field has no more than 3 characters."]}`},
			{"UnknownField", `{"fields":{"shoe":"42"}}`, `{"fields":["Invalid contact field key: shoe"]}`},
			{"UnknownGroup", `{"groups":["Nobody"]}`, `{"groups":["No such object: Nobody"]}`},
			{"BadLanguageCode", `{"language":"EN1"}`, `{"language":["Not a valid ISO639-3 language code."]}`},
			{"NameTooLong", `{"name":"` + strings.Repeat("n", 65) + `"}`, `{"name":["Ensure this field has no more than 64 characters."]}`},
			{"NameWrongType", `{"name":5}`, `{"name":["Not a valid string."]}`},
			{"UnknownKey", `{"nme":"x"}`, `{"nme":["This field is not allowed."]}`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, _, out := c.do("POST", "/api/v2/contacts.json", tc.body)
				b, _ := marshal(out)
				if st != 400 || b != tc.want {
					t.Fatalf("got %d %s, want %s", st, b, tc.want)
				}
			})
		}

		// 257 more contacts, one modified each millisecond, walked in pages of 250.
		st := s.Srv.Store
		base := time.Now().Add(-time.Hour)
		for i := range 257 {
			ct := &store.Contact{WorkspaceID: s.Workspace.ID, UUID: UUID(), Name: fmt.Sprintf("c%03d", i), Status: "active",
				CreatedOn: base, ModifiedOn: base.Add(time.Duration(i) * time.Millisecond)}
			if err := st.(store.ContactStore).CreateContact(context.Background(), ct, nil); err != nil {
				t.Fatal(err)
			}
		}
		page1 := obj(c.expect("GET", "/api/v2/contacts.json?reverse=true", nil, 200, nil))
		if len(list(page1["results"])) != 250 || page1["previous"] != nil {
			t.Fatalf("page 1: %d results, previous %v", len(list(page1["results"])), page1["previous"])
		}
		if obj(list(page1["results"])[0])["name"] != "c000" {
			t.Fatalf("reverse order starts with %v", obj(list(page1["results"])[0])["name"])
		}
		next, _ := page1["next"].(string)
		if !strings.HasPrefix(next, s.Base+"/api/v2/contacts.json?") || !strings.Contains(next, "reverse=true") || !strings.Contains(next, "cursor=") {
			t.Fatalf("next link %q", next)
		}
		page2 := obj(c.expect("GET", next, nil, 200, nil))
		if len(list(page2["results"])) != 10 || page2["next"] != nil || page2["previous"] == nil {
			t.Fatalf("page 2: %d results, next %v", len(list(page2["results"])), page2["next"])
		}
		back := obj(c.expect("GET", page2["previous"].(string), nil, 200, nil))
		if len(list(back["results"])) != 250 || obj(list(back["results"])[0])["name"] != "c000" || back["previous"] != nil || back["next"] == nil {
			t.Fatalf("previous page: %d results from %v", len(list(back["results"])), obj(list(back["results"])[0])["name"])
		}
		seen := map[string]bool{}
		for _, p := range []map[string]any{page1, page2} {
			for _, it := range list(p["results"]) {
				seen[obj(it)["uuid"].(string)] = true
			}
		}
		if len(seen) != 260 {
			t.Fatalf("walked %d distinct contacts, want 260", len(seen))
		}
		c.expect("GET", "/api/v2/contacts.json?cursor=!!!", nil, 404, nil)
	})
}
