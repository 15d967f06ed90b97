package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"careflow/store/storetest"
)

// visitXForm is a minimal app form as cht-conf uploads it (the file name matches the id).
const visitXForm = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head>
    <h:title>Visit</h:title>
    <model>
      <instance><visit id="visit" version="1"><temp/><meta><instanceID/></meta></visit></instance>
      <bind nodeset="/visit/temp" type="int"/>
    </model>
  </h:head>
  <h:body><input ref="/visit/temp"><label>Temperature</label></input></h:body>
</h:html>
`

// chtProject writes files into a new project folder and returns a runner of cht actions
// against cs as its admin.
func chtProject(t *testing.T, ctx context.Context, cs *chtServer, files map[string]string) (string, func(args ...string) string) {
	t.Helper()
	bin := chtConfBinary(t)
	project := t.TempDir()
	for name, content := range files {
		p := filepath.Join(project, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	url := strings.Replace(cs.base, "http://", "http://admin:"+cs.admin+"@", 1) + "/"
	return project, func(args ...string) string {
		t.Helper()
		args = append([]string{"--url=" + url, "--skip-dependency-check", "--no-check"}, args...)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "HOME="+project)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("cht %v: %v\n%s", args, err, out)
		}
		t.Logf("cht %v took %v", args[3:], time.Since(start).Round(time.Millisecond))
		return string(out)
	}
}

// TestChtConfDeploy runs cht-conf's default deploy (no action: settings, forms with their
// validation, backup and deletion of the forms already there, resources, privacy policies),
// twice so the second run backs up and replaces what the first uploaded, then move-contacts
// and delete-contacts with upload-docs, and reads the results back over careflow's API, on
// SQLite and on PostgreSQL.
func TestChtConfDeploy(t *testing.T) {
	chtConfBinary(t)
	t.Run("sqlite", func(t *testing.T) { testChtConfDeploy(t, "") })
	t.Run("postgres", func(t *testing.T) { testChtConfDeploy(t, storetest.PostgresSchemaDSN(t)) })
}

func testChtConfDeploy(t *testing.T, db string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cs, err := startCHTServerOn(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.close()

	png := "\x89PNG\r\n\x1a\n\x00\x01careflow"
	project, cht := chtProject(t, ctx, cs, map[string]string{
		"package.json":                    `{"name":"careflow-deploy","version":"1.0.0"}`,
		".eslintrc":                       `{"env":{"node":true,"es2022":true},"parserOptions":{"ecmaVersion":2022}}`,
		"app_settings/base_settings.json": `{"locale":"en","default_country_code":254}`,
		"app_settings/forms.json":         `{"VISIT":{"meta":{"code":"VISIT"},"fields":{"patient_uuid":{"type":"string"},"temp":{"type":"integer"}}}}`,
		"app_settings/schedules.json":     `[]`,
		"tasks.js":                        `module.exports = [];`,
		"targets.js":                      `module.exports = [];`,
		"contact-summary.templated.js":    `module.exports = {fields: [], cards: [], context: {}};`,
		"forms/app/visit.xml":             visitXForm,
		"resources.json":                  `{"icon-visit":"icon-visit.png"}`,
		"resources/icon-visit.png":        png,
		"privacy-policies.json":           `{"en":"en.html"}`,
		"privacy-policies/en.html":        "<html><body>Privacy</body></html>\n",
		"csv/place.district_hospital.csv": "name,external_id\nCentral District,DH1\n",
		"csv/place.health_center.csv":     "name,external_id,parent:place WHERE external_id=COL_VAL\nKibera HC,HC1,DH1\nMathare HC,HC2,DH1\n",
		"csv/person.csv":                  "name,phone,parent:place WHERE external_id=COL_VAL\nAkinyi Otieno,+254712345678,HC1\n",
	})

	// The first deploy uploads; the second backs up the uploaded form, deletes it and uploads it again.
	for range 2 {
		out := cht()
		if !strings.Contains(out, "All actions completed") {
			t.Fatalf("default deploy did not complete:\n%s", out)
		}
	}
	var form struct {
		Type        string `json:"type"`
		InternalID  string `json:"internalId"`
		Title       string `json:"title"`
		Attachments map[string]struct {
			ContentType string `json:"content_type"`
			Stub        bool   `json:"stub"`
			Length      int    `json:"length"`
			Digest      string `json:"digest"`
		} `json:"_attachments"`
	}
	body, err := cs.asAdmin("GET", "/medic/form:visit", nil)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(body, &form)
	if xml := form.Attachments["xml"]; form.Type != "form" || form.InternalID != "visit" || form.Title != "Visit" ||
		!xml.Stub || xml.Length != len(visitXForm) || !strings.HasPrefix(xml.Digest, "md5-") {
		t.Fatalf("uploaded form read back as %s", body)
	}
	for path, want := range map[string]string{
		"/medic/form:visit/xml":           visitXForm,
		"/medic/resources/icon-visit.png": png,
		"/medic/privacy-policies/en.html": "<html><body>Privacy</body></html>\n",
	} {
		status, got, err := cs.do("GET", path, nil, nil, "admin", cs.admin)
		if err != nil || status != 200 || string(got) != want {
			t.Fatalf("GET %s: %d %q %v", path, status, got, err)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(project, "backups", "forms.*", "form_visit", "xml"))
	if len(backups) != 1 {
		t.Fatalf("backup-all-forms wrote %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != visitXForm {
		t.Fatalf("backed-up form: %q", b)
	}
	body, _ = cs.asAdmin("GET", "/medic/resources", nil)
	if !strings.Contains(string(body), `"resources":{"icon-visit":"icon-visit.png"}`) {
		t.Fatalf("resources doc: %s", body)
	}

	// The hierarchy, and a report its person sends about itself (delete-contacts finds
	// reports by subject).
	cht("csv-to-docs", "upload-docs", "--force")
	ids := map[string]string{}
	entries, _ := os.ReadDir(filepath.Join(project, "json_docs"))
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(project, "json_docs", e.Name()))
		var d struct {
			ID   string `json:"_id"`
			Name string `json:"name"`
		}
		json.Unmarshal(b, &d)
		ids[d.Name] = d.ID
	}
	person, hc2 := ids["Akinyi Otieno"], ids["Mathare HC"]
	if person == "" || hc2 == "" {
		t.Fatalf("csv-to-docs made %v", ids)
	}
	rec, err := cs.asAdmin("POST", "/api/v2/records", map[string]any{"_meta": map[string]any{"form": "visit", "from": "0712345678"}, "patient_uuid": person, "temp": 37})
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	json.Unmarshal(rec, &created)

	os.RemoveAll(filepath.Join(project, "json_docs"))
	cht("move-contacts", "upload-docs", "--force", "--", "--contacts="+person, "--parent="+hc2)
	lineage := func(id string, path ...string) string {
		t.Helper()
		b, err := cs.asAdmin("GET", "/medic/"+id, nil)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		json.Unmarshal(b, &v)
		for _, p := range path {
			m, _ := v.(map[string]any)
			v = m[p]
		}
		s, _ := v.(string)
		return s
	}
	if got := lineage(person, "parent", "_id"); got != hc2 {
		t.Fatalf("moved person's parent is %q, want %q", got, hc2)
	}
	if got := lineage(created.ID, "contact", "parent", "_id"); got != hc2 {
		t.Fatalf("the moved person's report has contact lineage parent %q, want %q", got, hc2)
	}

	os.RemoveAll(filepath.Join(project, "json_docs"))
	cht("delete-contacts", "upload-docs", "--force", "--", "--contacts="+hc2)
	for _, id := range []string{hc2, person, created.ID} {
		status, got, _ := cs.do("GET", "/medic/"+id, nil, nil, "admin", cs.admin)
		if status != 404 {
			t.Fatalf("%s after delete-contacts: %d %s", id, status, got)
		}
	}
	if lineage(ids["Kibera HC"], "name") != "Kibera HC" {
		t.Fatal("delete-contacts removed a contact outside the deleted place")
	}
}
