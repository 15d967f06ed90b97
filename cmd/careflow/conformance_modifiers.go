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
	"careflow/engine/event"
	"careflow/engine/modifier"
)

// The modifiers suite applies each modifier of modifiers/<type>.json to the case's contact
// (followed by the re-evaluation of query-based groups) and compares the contact and the events
// (conformance README §8).
func init() {
	registerSuite("modifiers", "conformance/goflow/modifiers", 0, runModifiersSuite)
}

type modifierCase struct {
	Description   string          `json:"description"`
	ContactBefore json.RawMessage `json:"contact_before"`
	Modifier      json.RawMessage `json:"modifier"`
	ContactAfter  json.RawMessage `json:"contact_after"`
	Events        json.RawMessage `json:"events"`
}

func runModifiersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
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
		var cases []modifierCase
		if err := engReadJSON(file, &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			diffs := runModifierCase(assetsData, c)
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

func runModifierCase(assetsData []byte, c modifierCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	m, err := modifier.Read(c.Modifier)
	if err != nil {
		return []string{"reading modifier: " + err.Error()}
	}
	contact, err := engine.ReadContact(c.ContactBefore, assets)
	if err != nil {
		return []string{err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{
		Options:  engine.Options{MaxFieldChars: 256},
		ClaimURN: func(urn string) bool { return !strings.Contains(urn, "taken") },
	})
	env.Locations = assets.ParsedLocations()
	events := eng.ApplyModifier(assets, env, contact, m)
	if events == nil {
		events = []event.Event{}
	}
	cmp := enginetest.NewComparer(assetsData, c.ContactBefore, c.Modifier)
	for name, pair := range map[string][2]any{"contact_after": {c.ContactAfter, contact}, "events": {c.Events, events}} {
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
