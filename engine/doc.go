// Package engine runs RapidPro flows (flow spec 14.4.x): sessions, runs and their paths, the
// main execution loop, the root expression context, localization, results, contacts and their
// query-based groups (flows.md §9).
//
// The engine is pure. It never opens files, sockets or databases and never reads the clock,
// draws randomness or makes UUIDs by itself: everything from the outside world comes through
// Services (clock, UUIDs, random, webhooks, email, LLM, airtime). A sprint returns events and
// the new session state; the caller persists them.
//
// Shared types live here; the per-type behaviour lives in leaf packages that register
// themselves in this package's registries: engine/action (one file per action type),
// engine/router (switch, random), engine/trigger, engine/resume and engine/modifier. Import
// careflow/engine/builtin once (for its side effects) to register all of them.
//
// This package must not import os, net/http, database/sql or careflow/store.
package engine
