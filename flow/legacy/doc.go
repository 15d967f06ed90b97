// Package legacy converts flow definitions in the legacy (pre-13) RapidPro format — action_sets,
// rule_sets, flow_type, translations embedded as {lang: text} maps — into spec 13.0.0
// definitions, which package flow/migrate then brings up to date.
//
// It works on decoded JSON (map[string]any) and is pure: new UUIDs come from Config.NewUUID and
// legacy templates (@contact.name, @flow.x, @step.value ...) are rewritten to the current
// expression language by Config.Expressions, both supplied by the caller. It must not import
// package flow (flow imports it) nor anything doing I/O.
package legacy
