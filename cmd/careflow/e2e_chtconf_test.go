package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chtConfBinary finds the pinned cht-conf installed by scripts/test (npm ci in test/chtconf).
// Without it (or without node) the test skips locally and fails in CI.
func chtConfBinary(t *testing.T) string {
	t.Helper()
	missing := func(why string) string {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: CI must run the cht-conf interop test (scripts/test installs it)", why)
		}
		t.Skip(why)
		return ""
	}
	if _, err := exec.LookPath("node"); err != nil {
		return missing("node is not installed")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && filepath.Base(dir) != "chtconf" {
			bin := filepath.Join(dir, "test", "chtconf", "node_modules", ".bin", "cht")
			if _, err := os.Stat(bin); err != nil {
				return missing("cht-conf is not installed in test/chtconf/node_modules (run npm ci there)")
			}
			return bin
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("repository root not found")
		}
	}
}

// TestChtConfInterop drives careflow with the real cht-conf: upload-app-settings (with a
// transition, so cht-conf also asks for deprecated transitions), backup-app-settings, create-users, then
// csv-to-docs + upload-docs for a small hierarchy, and reads everything back through
// careflow's API (settings, the uploaded docs, contacts-by-phone, and a record that finds its
// sender among the uploaded contacts); then upload-sms-from-csv, and a gateway poll by the
// user create-users made.
func TestChtConfInterop(t *testing.T) {
	bin := chtConfBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cs, err := startCHTServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.close()

	project := t.TempDir()
	files := map[string]string{
		"package.json":                    `{"name":"careflow-interop","version":"1.0.0"}`,
		"app_settings.json":               `{"locale":"en","default_country_code":254,"transitions":{"update_clinics":true},"forms":{"VISIT":{"meta":{"code":"VISIT"},"fields":{"patient_id":{"type":"string","required":true},"temp":{"type":"integer"}}}}}`,
		"csv/place.district_hospital.csv": "name,external_id\nCentral District,DH1\n",
		"csv/place.health_center.csv":     "name,external_id,parent:place WHERE external_id=COL_VAL\nKibera HC,HC1,DH1\n",
		"users.csv":                       "username,password,roles,fullname,phone\nrapidpro," + gatewayPassword + ",gateway,RapidPro integration,+254700000000\n",
		"csv/person.csv":                  "name,phone,parent:place WHERE external_id=COL_VAL\nAkinyi Otieno,+254712345678,HC1\nBaraka Otieno,+254712000111,HC1\n",
		"sms.csv":                         "from,message,sent_timestamp\n0712345678,hello from the field,1777629590000\n+254712000111,VISIT p-9 38,\n",
	}
	for name, content := range files {
		p := filepath.Join(project, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	url := strings.Replace(cs.base, "http://", "http://admin:"+cs.admin+"@", 1) + "/"
	cht := func(actions ...string) {
		t.Helper()
		args := append([]string{"--url=" + url, "--skip-dependency-check", "--no-check"}, actions...)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "HOME="+project)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("cht %v: %v\n%s", actions, err, out)
		}
		t.Logf("cht %v:\n%s", actions, out)
	}

	cht("upload-app-settings")
	body, err := cs.asAdmin("GET", "/api/v1/settings", nil)
	if err != nil {
		t.Fatal(err)
	}
	var settings struct {
		DefaultCountryCode int                        `json:"default_country_code"`
		Forms              map[string]json.RawMessage `json:"forms"`
		Permissions        map[string][]string        `json:"permissions"`
	}
	json.Unmarshal(body, &settings)
	if settings.DefaultCountryCode != 254 || settings.Forms["VISIT"] == nil {
		t.Fatalf("uploaded settings not read back: %s", body)
	}
	if len(settings.Permissions["can_create_records"]) == 0 {
		t.Fatalf("default permissions were not filled in: %s", body)
	}

	// backup-app-settings reads them back through the legacy app_settings route.
	cht("backup-app-settings")
	var backups []string
	filepath.WalkDir(project, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && p != filepath.Join(project, "app_settings.json") && strings.Contains(d.Name(), "app_settings") {
			backups = append(backups, p)
		}
		return nil
	})
	if len(backups) != 1 {
		t.Fatalf("backup-app-settings wrote %v", backups)
	}
	backup, _ := os.ReadFile(backups[0])
	if !strings.Contains(string(backup), `"VISIT"`) || !strings.Contains(string(backup), `"update_clinics"`) {
		t.Fatalf("backup of the settings: %s", backup)
	}

	// create-users posts users.csv to POST /api/v1/users; the gateway user can then log in.
	cht("create-users")
	status, who, err := cs.do("GET", "/_session", nil, nil, "rapidpro", gatewayPassword)
	if err != nil || status != 200 || !strings.Contains(string(who), `"roles":["gateway","mm-online"]`) {
		t.Fatalf("created gateway user: %d %s %v", status, who, err)
	}

	cht("csv-to-docs", "upload-docs", "--force")
	entries, err := os.ReadDir(filepath.Join(project, "json_docs"))
	if err != nil || len(entries) != 4 {
		t.Fatalf("csv-to-docs made %d docs (%v)", len(entries), err)
	}
	var personID string
	for _, e := range entries {
		local, _ := os.ReadFile(filepath.Join(project, "json_docs", e.Name()))
		var want map[string]any
		json.Unmarshal(local, &want)
		id := want["_id"].(string)
		got, err := cs.asAdmin("GET", "/medic/"+id, nil)
		if err != nil {
			t.Fatalf("uploaded doc %s: %v", id, err)
		}
		var doc map[string]any
		json.Unmarshal(got, &doc)
		if doc["name"] != want["name"] || doc["type"] != want["type"] || doc["_rev"] == nil {
			t.Fatalf("doc %s read back as %s, uploaded %s", id, got, local)
		}
		if want["phone"] == "+254712345678" {
			personID = id
		}
	}

	status, got, err := cs.do("GET", "/api/v1/contacts-by-phone?phone=0712345678", map[string]string{"Accept": "application/json"}, nil, "admin", cs.admin)
	if err != nil || status != 200 {
		t.Fatalf("contacts-by-phone: %d %s %v", status, got, err)
	}
	var byPhone struct {
		OK   bool `json:"ok"`
		Docs []struct {
			ID     string `json:"_id"`
			Parent struct {
				Name   string `json:"name"`
				Parent struct {
					Name string `json:"name"`
				} `json:"parent"`
			} `json:"parent"`
		} `json:"docs"`
	}
	json.Unmarshal(got, &byPhone)
	if !byPhone.OK || len(byPhone.Docs) != 1 || byPhone.Docs[0].ID != personID ||
		byPhone.Docs[0].Parent.Name != "Kibera HC" || byPhone.Docs[0].Parent.Parent.Name != "Central District" {
		t.Fatalf("contacts-by-phone answered %s", got)
	}

	rec, err := cs.asAdmin("POST", "/api/v2/records", map[string]any{"_meta": map[string]any{"form": "visit", "from": "0712345678"}, "patient_id": "p-1", "temp": 37})
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	json.Unmarshal(rec, &created)
	doc, err := cs.asAdmin("GET", "/medic/"+created.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), fmt.Sprintf(`"contact":{"_id":%q`, personID)) {
		t.Fatalf("record did not find its sender among the uploaded contacts: %s", doc)
	}

	checkUploadSMS(t, cs, cht)
}

// checkUploadSMS: upload-sms-from-csv posts sms.csv to POST /api/sms as a gateway app would;
// each row becomes an SMS record with the gateway ref cht-conf gave it. Then the gateway user
// cht-conf created polls and is handed a message CHT has to send.
func checkUploadSMS(t *testing.T, cs *chtServer, cht func(actions ...string)) {
	t.Helper()
	cht("upload-sms-from-csv")
	all, err := cs.asAdmin("GET", "/medic/_all_docs?include_docs=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	var docs struct {
		Rows []struct {
			Doc struct {
				From string `json:"from"`
				Form string `json:"form"`
				SMS  struct {
					Message    string `json:"message"`
					GatewayRef string `json:"gateway_ref"`
				} `json:"sms_message"`
			} `json:"doc"`
		} `json:"rows"`
	}
	json.Unmarshal(all, &docs)
	got := map[string]string{}
	for _, r := range docs.Rows {
		if r.Doc.SMS.GatewayRef != "" {
			got[r.Doc.SMS.Message] = r.Doc.From + "|" + r.Doc.Form
		}
	}
	if len(got) != 2 || got["hello from the field"] != "+254712345678|" || got["VISIT p-9 38"] != "+254712000111|VISIT" {
		t.Fatalf("records from upload-sms-from-csv: %v", got)
	}

	task := `{"type":"data_record","kujua_message":true,"reported_date":1777000000000,"tasks":[{"messages":[{"to":"0712000111",` +
		`"message":"Please come to the clinic","uuid":"0f6d1a9e-1111-4a2b-9c3d-5e6f7a8b9c0d"}],"state":"pending"}]}`
	if status, body, err := cs.do("PUT", "/medic/outgoing-1", map[string]string{"Content-Type": "application/json"}, []byte(task), "admin", cs.admin); err != nil || status != 201 {
		t.Fatalf("pending message: %d %s %v", status, body, err)
	}
	poll := func(body string) string {
		t.Helper()
		status, out, err := cs.do("POST", "/api/sms", map[string]string{"Content-Type": "application/json"}, []byte(body), "rapidpro", gatewayPassword)
		if err != nil || status != 200 {
			t.Fatalf("gateway poll: %d %s %v", status, out, err)
		}
		return strings.TrimSpace(string(out))
	}
	want := `{"messages":[{"content":"Please come to the clinic","to":"+254712000111","id":"0f6d1a9e-1111-4a2b-9c3d-5e6f7a8b9c0d"}]}`
	if got := poll(`{}`); got != want {
		t.Fatalf("gateway poll answered %s", got)
	}
	if got := poll(`{"updates":[{"id":"0f6d1a9e-1111-4a2b-9c3d-5e6f7a8b9c0d","status":"SENT"}]}`); got != `{"messages":[]}` {
		t.Fatalf("after the status: %s", got)
	}
	doc, err := cs.asAdmin("GET", "/medic/outgoing-1", nil)
	if err != nil || !strings.Contains(string(doc), `"state":"sent","state_history":[{"state":"forwarded-to-gateway","timestamp":"`) {
		t.Fatalf("task after the poll: %s %v", doc, err)
	}
}
