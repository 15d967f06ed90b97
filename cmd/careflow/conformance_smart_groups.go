package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

func runSmartGroupsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var h struct {
		Environment         json.RawMessage `json:"environment"`
		EnvironmentRedacted json.RawMessage `json:"environment_when_redact_urns"`
		Trigger             json.RawMessage `json:"trigger"`
	}
	if err := engReadJSON(filepath.Join(dir, "_harness.json"), &h); err != nil {
		return 0, 0, err
	}
	assetsData, err := os.ReadFile(filepath.Join(dir, "smart_groups.assets.json"))
	if err != nil {
		return 0, 0, err
	}
	var cases []smartGroupCase
	if err := engReadJSON(filepath.Join(dir, "smart_groups.json"), &cases); err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return passed, failed, err
		}
		envData := h.Environment
		if c.RedactURNs {
			envData = h.EnvironmentRedacted
		}
		diffs := runSmartGroupCase(assetsData, envData, h.Trigger, c)
		if len(diffs) == 0 {
			passed++
			continue
		}
		failed++
		engReport(out, fmt.Sprintf("smart_groups.json[%d] %s", i, c.Description), diffs)
	}
	return passed, failed, nil
}

func runSmartGroupCase(assetsData, envData, triggerData []byte, c smartGroupCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
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
	w, err := enginetest.Decode(c.ContactAfter)
	if err != nil {
		return []string{err.Error()}
	}
	cmp := enginetest.NewComparer(assetsData, c.ContactBefore)
	for _, d := range cmp.Diff(w, enginetest.ToAny(contact)) {
		diffs = append(diffs, "contact"+strings.TrimPrefix(d, "$"))
	}
	return diffs
}
