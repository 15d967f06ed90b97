package main

import (
	"context"
	"encoding/json"
	"io"
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

func (c modifierCase) describe() string { return c.Description }

func runModifiersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	return runGoflowSuite(ctx, "modifiers", path, nil, out, runModifierCase)
}

func runModifierCase(assetsData []byte, c modifierCase) []string {
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
	cmp := newComparer(assetsData, c.ContactBefore, c.Modifier)
	return append(diffIfExpected(cmp, "contact_after", c.ContactAfter, contact),
		diffIfExpected(cmp, "events", c.Events, events)...)
}
