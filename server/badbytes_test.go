package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"careflow/server"
)

// TestBadBytes: invalid UTF-8, NUL characters, lone surrogates, duplicate keys and trailing
// data, in ids, keys, bodies and queries, are a 400 that says what is wrong and changes
// nothing, on both backends alike (PostgreSQL answered 500; SQLite stored bytes that came
// back as invalid JSON; duplicate keys were stored one way and indexed another).
func TestBadBytes(t *testing.T) {
	backends(t, func(t *testing.T, db string) {
		e, srv := startServerWith(t, db, nil, io.Discard)
		cases := []struct {
			name, method, path, ctype, body, want string
		}{
			{"NULInDocID", "PUT", "/medic/a%00b", "application/json", `{}`, "NUL byte"},
			{"InvalidUTF8DocID", "PUT", "/medic/%FF", "application/json", `{}`, "invalid UTF-8"},
			{"InvalidUTF8InBody", "PUT", "/medic/x", "application/json", "{\"name\":\"\xff\"}", "invalid UTF-8 at offset 9"},
			{"NULInValue", "PUT", "/medic/x", "application/json", `{"name":"a\u0000"}`, `NUL character (\\u0000) in a string at offset 10`},
			{"NULInKey", "PUT", "/medic/x", "application/json", `{"a\u0000":1}`, "NUL character"},
			{"LoneSurrogate", "PUT", "/medic/x", "application/json", `{"name":"\ud800"}`, "lone UTF-16 surrogate"},
			{"DuplicateKey", "PUT", "/medic/x", "application/json", `{"type":"person","type":"clinic"}`, `duplicate key \"type\"`},
			{"TrailingGarbage", "PUT", "/medic/x", "application/json", `{"type":"person"} x`, "unexpected data after the JSON value"},
			{"RecordNUL", "POST", "/api/v2/records", "application/json", `{"_meta":{"form":"V"},"a":"\u0000"}`, "NUL character"},
			{"RecordTrailingGarbage", "POST", "/api/v2/records", "application/json", `{"_meta":{"form":"V"}}]`, "unexpected data after the JSON value"},
			{"SMSNUL", "POST", "/api/v2/records", "application/x-www-form-urlencoded", "from=%2B254700000001&message=V%00x", "NUL byte"},
			{"SMSInvalidUTF8", "POST", "/api/v2/records", "application/x-www-form-urlencoded", "from=%2B254700000001&message=V%FF", "invalid UTF-8"},
			{"QueryNUL", "GET", "/api/v1/contacts-by-phone?phone=%00", "", "", "NUL byte"},
			{"OutboundQueryNUL", "GET", "/api/v1/outbound/pushes?doc=%00", "", "", "NUL byte"},
			{"OutboundQueryInvalidUTF8", "GET", "/api/v1/outbound/pushes?config=%C3", "", "", "invalid UTF-8"},
			{"QueryInvalidUTF8", "GET", "/api/v1/contacts-by-phone?phone=%FF", "", "", "invalid UTF-8"},
			{"SettingsNUL", "PUT", "/api/v1/settings", "application/json", `{"a":"\u0000"}`, "NUL character"},
			{"SettingsDuplicateKey", "PUT", "/api/v1/settings", "application/json", `{"a":1,"a":2}`, "duplicate key"},
			{"CredentialKeyNUL", "PUT", "/api/v1/credentials/k%00", "text/plain", "secret", "NUL byte"},
			{"CredentialValueNUL", "PUT", "/api/v1/credentials/k", "text/plain", "sec\x00ret", "NUL byte"},
			{"PersonInvalidUTF8", "POST", "/api/v1/people", "application/json", "{\"name\":\"\xc3\x28\"}", "invalid UTF-8"},
			{"UserNUL", "POST", "/api/v1/users", "application/json", `{"username":"a\u0000","password":"x","roles":["gateway"]}`, "NUL character"},
			{"PhoneBodyNotObject", "POST", "/api/v1/contacts-by-phone", "application/json", `[1]`, "the body must be a JSON object"},
			{"UsersBodyNotObject", "POST", "/api/v1/users", "application/json", `"x"`, "user object or an array"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := storeState(t, srv)
				req, _ := http.NewRequest(tc.method, e.base+tc.path, strings.NewReader(tc.body))
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				req.Header.Set("Accept", "application/json")
				req.SetBasicAuth("admin", e.password)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body := string(b)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
					t.Fatalf("%d %s, want 400 with %q", resp.StatusCode, body, tc.want)
				}
				for _, goism := range []string{"Go value", "interface {}", "map[", "json:"} {
					if strings.Contains(body, goism) {
						t.Fatalf("Go's terms in the answer: %s", body)
					}
				}
				if after := storeState(t, srv); after != before {
					t.Fatalf("a refused request changed the store:\n%s\n%s", before, after)
				}
			})
		}

		t.Run("BulkDocsFailsTheBadDocOnly", func(t *testing.T) {
			body := `{"docs":[{"_id":"good","type":"person","name":"A"},{"_id":"nul","name":"a\u0000"},` +
				`{"_id":"dup","type":"person","type":"clinic"},{"_id":"sur","name":"\udc00"}]}`
			st, answer, _ := e.send("POST", "/medic/_bulk_docs", "admin", strings.NewReader(body))
			var res []map[string]any
			if st != http.StatusCreated || json.Unmarshal([]byte(answer), &res) != nil || len(res) != 4 {
				t.Fatalf("%d %s", st, answer)
			}
			if res[0]["ok"] != true || res[0]["id"] != "good" {
				t.Fatalf("good doc: %v", res[0])
			}
			for i, id := range []string{"nul", "dup", "sur"} {
				r := res[i+1]
				if r["id"] != id || r["error"] != "bad_request" || !strings.Contains(r["reason"].(string), "invalid JSON: ") {
					t.Fatalf("bad doc %s: %v", id, r)
				}
				if _, err := srv.Store.GetDoc(context.Background(), id); err == nil {
					t.Fatalf("bad doc %s was stored", id)
				}
			}
			if d, err := srv.Store.GetDoc(context.Background(), "good"); err != nil || !json.Valid(d.JSON()) {
				t.Fatalf("good doc: %v", err)
			}
		})
	})
}

// storeState summarises what a refused request must leave unchanged.
func storeState(t *testing.T, srv *server.Server) string {
	t.Helper()
	ctx := context.Background()
	n, err := srv.Store.CountDocs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, err := srv.Store.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := srv.Store.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := srv.Store.ListCredentialKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{n, set.Rev, len(users), creds})
	return string(b)
}
