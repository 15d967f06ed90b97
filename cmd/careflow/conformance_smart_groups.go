package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"careflow/engine"
	"careflow/engine/enginetest"
)

// The smart-groups suite starts the empty flow for each case's contact and compares the contact
// afterwards: its query-based groups must be re-evaluated at session start, broken queries
// matching nothing (conformance README §9). The engine evaluates group queries with package
// contactql.
func init() {
	registerSuite("smart-groups", "conformance/goflow/smart_groups", 0, runSmartGroupsSuite)
}

type smartGroupCase struct {
	Description   string          `json:"description"`
	ContactBefore json.RawMessage `json:"contact_before"`
	RedactURNs    bool            `json:"redact_urns"`
	ContactAfter  json.RawMessage `json:"contact_after"`
}

func (c smartGroupCase) describe() string { return c.Description }

func runSmartGroupsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := fixtureDir(path)
	var h struct {
		Environment         json.RawMessage `json:"environment"`
		EnvironmentRedacted json.RawMessage `json:"environment_when_redact_urns"`
		Trigger             json.RawMessage `json:"trigger"`
	}
	if err := readJSONFile(filepath.Join(dir, "_harness.json"), &h); err != nil {
		return 0, 0, err
	}
	assetsData, err := os.ReadFile(filepath.Join(dir, "smart_groups.assets.json"))
	if err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "smart-groups", out)
	return r.done(eachCase(r, []string{filepath.Join(dir, "smart_groups.json")}, func(c smartGroupCase) []string {
		envData := h.Environment
		if c.RedactURNs {
			envData = h.EnvironmentRedacted
		}
		return runSmartGroupCase(assetsData, envData, h.Trigger, c)
	}))
}

func runSmartGroupCase(assetsData, envData, triggerData []byte, c smartGroupCase) []string {
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	env, err := parseEnv(envData)
	if err != nil {
		return []string{err.Error()}
	}
	var trig map[string]any
	_ = json.Unmarshal(triggerData, &trig)
	trig["triggered_on"] = "2000-01-01T00:00:00Z"
	tdata, _ := json.Marshal(trig)
	trigger, err := engine.ReadTrigger(tdata, assets)
	if err != nil {
		return []string{err.Error()}
	}
	contact, err := engine.ReadContact(c.ContactBefore, assets)
	if err != nil {
		return []string{err.Error()}
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	if _, _, err := eng.Start(assets, env, contact, trigger, nil); err != nil {
		return []string{"starting: " + err.Error()}
	}
	cmp := newComparer(assetsData, c.ContactBefore)
	return diffJSON(cmp, "contact", c.ContactAfter, contact)
}
