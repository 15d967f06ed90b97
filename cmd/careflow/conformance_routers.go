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

// The routers suite runs each case of routers/<type>.json: the router replaces the holder
// flow's router, a manual trigger starts the flow and the run's results and the trimmed events
// are compared (conformance README §5). The random stream is seeded afresh for every case.
func init() {
	registerSuite("routers", "conformance/goflow/routers", 0, runRoutersSuite)
}

type routerCase struct {
	Description string          `json:"description"`
	Router      json.RawMessage `json:"router"`
	ReadError   string          `json:"read_error"`
	Results     json.RawMessage `json:"results"`
	Events      json.RawMessage `json:"events"`
}

func runRoutersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var h struct {
		Contact json.RawMessage `json:"contact"`
	}
	if err := engReadJSON(filepath.Join(dir, "_harness.json"), &h); err != nil {
		return 0, 0, err
	}
	assetsData, err := os.ReadFile(filepath.Join(dir, "_assets.json"))
	if err != nil {
		return 0, 0, err
	}
	files, err := engFixtureFiles(path)
	if err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, file := range files {
		var cases []routerCase
		if err := engReadJSON(file, &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			diffs := runRouterCase(assetsData, h.Contact, c)
			if len(diffs) == 0 {
				passed++
				continue
			}
			failed++
			engReport(out, fmt.Sprintf("%s[%d] %s", filepath.Base(file), i, c.Description), diffs)
		}
	}
	return passed, failed, nil
}

func runRouterCase(assetsData, contactData []byte, c routerCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
	assetsAny, err := enginetest.Decode(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	assetsMap := assetsAny.(map[string]any)
	fl := assetsMap["flows"].([]any)[0].(map[string]any)
	router, err := enginetest.Decode(c.Router)
	if err != nil {
		return []string{err.Error()}
	}
	fl["nodes"].([]any)[0].(map[string]any)["router"] = router
	modified, _ := json.Marshal(assetsMap)
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	f, err := assets.Flow(flowUUID(fl["uuid"].(string)))
	if c.ReadError != "" {
		if err == nil {
			return []string{fmt.Sprintf("read succeeded, want error %q", c.ReadError)}
		}
		if !strings.Contains(err.Error(), c.ReadError) {
			return []string{fmt.Sprintf("read error %q, want %q", err.Error(), c.ReadError)}
		}
		return nil
	}
	if err != nil {
		return []string{"reading flow: " + err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{})
	contact, err := engine.ReadContact(contactData, assets)
	if err != nil {
		return []string{err.Error()}
	}
	trigger, err := engine.ReadTrigger([]byte(fmt.Sprintf(`{"type": "manual", "flow": {"uuid": %q, "name": %q}, "triggered_on": "2000-01-01T00:00:00Z"}`, f.UUID, f.Name)), assets)
	if err != nil {
		return []string{err.Error()}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, nil)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	cmp := enginetest.NewComparer(modified, contactData)
	results := session.Runs[0].Results
	if results == nil {
		results = map[string]*engine.Result{}
	}
	for name, pair := range map[string][2]any{"results": {c.Results, results}, "events": {c.Events, trimEvents(sprint.Events)}} {
		want := pair[0].(json.RawMessage)
		if len(want) == 0 {
			continue
		}
		w, err := enginetest.Decode(want)
		if err != nil {
			return append(diffs, err.Error())
		}
		for _, d := range cmp.Diff(w, enginetest.ToAny(pair[1])) {
			diffs = append(diffs, name+strings.TrimPrefix(d, "$"))
		}
	}
	return diffs
}
