package main

import (
	"context"
	"encoding/json"
	"io"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/flow"
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

func (c routerCase) describe() string { return c.Description }

func runRoutersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var h struct {
		Contact json.RawMessage `json:"contact"`
		Engine  harnessEngine   `json:"engine"`
	}
	return runGoflowSuite(ctx, "routers", path, &h, out, func(assets []byte, c routerCase) []string {
		return runRouterCase(assets, h.Contact, h.Engine, c)
	})
}

func runRouterCase(assetsData, contactData []byte, he harnessEngine, c routerCase) []string {
	var holderUUID string
	modified, err := editHolderFlow(assetsData, 0, func(holder, node map[string]any) error {
		holderUUID = holder["uuid"].(string)
		router, err := enginetest.Decode(c.Router)
		node["router"] = router
		return err
	})
	if err != nil {
		return []string{err.Error()}
	}
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	f, err := assets.Flow(flow.UUID(holderUUID))
	if c.ReadError != "" {
		return readErrorDiffs(err, c.ReadError, true)
	}
	if err != nil {
		return []string{"reading flow: " + err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{LLMPrompts: he.LLMPrompts})
	contact, err := engine.ReadContact(contactData, assets)
	if err != nil {
		return []string{err.Error()}
	}
	trigger, err := manualTrigger(assets, f, false, eng.Clock.Now())
	if err != nil {
		return []string{err.Error()}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, nil)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	cmp := newComparer(modified, contactData)
	results := session.Runs[0].Results
	if results == nil {
		results = map[string]*engine.Result{}
	}
	return append(diffIfExpected(cmp, "results", c.Results, results),
		diffIfExpected(cmp, "events", c.Events, trimEvents(sprint.Events))...)
}
