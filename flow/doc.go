// Package flow holds RapidPro flow definitions (flow spec 14.4.x): the data types a flow is made
// of, reading a definition from JSON (migrating older spec versions and legacy exports first),
// validating it with the reference engine's messages, writing it back out at the current spec
// version, and static inspection (dependencies, results, issues).
//
// The types here are data only. They say what a flow contains, not how it runs: the engine
// (package engine) executes them. Actions are concrete structs behind the Action interface, so
// the engine switches on the concrete type:
//
//	for _, a := range node.Actions {
//		switch a := a.(type) {
//		case *flow.SendMsg:
//			// a.Text, a.Attachments ...
//		case *flow.SetContactName:
//			// ...
//		}
//	}
//
// or looks up its own executor by a.Type(), which equals the action's wire name (the TypeX
// constants). A node's Router is one struct for both router types (switch and random); its Type
// says which fields apply. Likewise Wait covers msg and dial waits.
//
// Reading is, in order (see Read):
//
//  1. reject definitions with more than 1000 nodes or a _ui over 256 KiB;
//  2. convert a legacy (pre-13) definition to spec 13.0.0 (package flow/legacy);
//  3. check the header (uuid, name, spec_version) and apply every spec migration newer than the
//     definition's spec_version (package flow/migrate);
//  4. decode nodes, actions and routers (field-level errors);
//  5. validate the whole graph (references between nodes, exits, categories, cases; flow-type
//     rules; localization).
//
// Inspect reports what a flow depends on (fields, globals, groups, labels, flows, channels,
// templates, topics, users, LLMs — each marked missing when checked against an AssetIndex), the
// run locals it sets, the results it saves with their possible categories, the parent results
// it reads, and issues (missing dependencies, legacy vars, invalid regexes), as the reference
// engine's flow inspection does. The CLI exposes it as `careflow flow inspect FILE`.
//
// Subpackages:
//
//   - flow/migrate: spec migrations on raw JSON, one function per version (13.1.0 … 14.4.2);
//   - flow/legacy: conversion of legacy (pre-13) definitions to 13.0.0;
//   - flow/tmpl: a light scanner finding and rewriting context references in templates;
//   - flow/flowtest: fixture comparison helpers shared by tests and conformance suites.
//
// Legacy templates (@contact.age, @flow.x, @step.value ...) are rewritten by the function in
// ReadConfig.LegacyExpressions, or DefaultLegacyExpressions when that is nil; without one they
// are kept as written.
//
// Writing (json.Marshal of a *Flow) always produces the current spec version with the same keys
// and omission rules as the reference engine, so read → write → read is stable.
//
// This package is pure: it imports no I/O, clock or randomness. The only values a read may
// invent are UUIDs (legacy conversion and two migrations create new items); those come from the
// generator in ReadConfig, which defaults to a deterministic one derived from the input.
//
// It must not import engine, runtime, store, net/http, database/sql or os.
package flow
