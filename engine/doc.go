// Package engine runs RapidPro flows (flow spec 14.4.x): sessions, runs and their paths, the
// main execution loop, the root expression context, localization, results, contacts and their
// query-based groups (flows.md §9).
//
// The engine is pure. It never opens files, sockets or databases and never reads the clock,
// draws randomness or makes UUIDs by itself: everything from the outside world comes through
// Services (clock, UUIDs, random, webhooks, email, LLM, airtime). A sprint returns events and
// the new session state; the caller persists them.
//
// # Using it
//
//	eng := engine.New(services, engine.Options{})      // limits default to flows.md §12
//	assets, _ := engine.ReadAssets(assetsJSON)          // flows are read and migrated on first use
//	contact, _ := engine.ReadContact(contactJSON, assets)
//	trigger, _ := engine.ReadTrigger(triggerJSON, assets)
//	session, sprint, err := eng.Start(assets, env, contact, trigger, nil)
//	data, _ := session.MarshalJSON()                    // store it, with the contact, between sprints
//	session, _ = eng.ReadSession(data, assets, env, contact, nil)
//	resume, _ := engine.ReadResume(resumeJSON)
//	sprint, err = session.ResumeWith(resume)            // sprint.Events, sprint.Segments
//
// Flow content problems become error events and the run carries on; a returned error means the
// call itself was wrong (resuming a session that isn't waiting, a resume its wait doesn't
// accept, a voice flow without a call, a missing flow). Callers may end a session with
// Interrupt; expiring a waiting run is a wait_expiration resume.
//
// The assets decide what a contact can be reached on: @contact.urn, @contact.channel and the
// URN of a sent message come from the first URN a channel of the assets can send to (null
// without channels). prompt() reads its templates from the LLM service when it implements
// LLMPrompts (RapidProPrompts are RapidPro's). See docs/conformance.md.
//
// Shared types live here; the per-type behaviour lives in leaf packages that register
// themselves in this package's registries: engine/action (one file per action type),
// engine/router (switch, random), engine/trigger, engine/resume and engine/modifier (contact
// changes, also usable on their own through Engine.ApplyModifier). Import
// careflow/engine/builtin once (for its side effects) to register all of them. Events are in
// engine/event; engine/enginetest has deterministic services for tests and fixtures.
// Query-based groups are evaluated with careflow/contactql.
//
// This package must not import os, net/http, database/sql or careflow/store (TestEnginePurity).
package engine
