// Package runtime runs the flow engine for real: it is careflow's in-process mailroom. Incoming
// messages and channel events, flow starts, broadcasts and timers all become durable contact
// tasks (store.ContactTask); workers lease contacts, handle each contact's tasks strictly in
// arrival order (trigger matching, resuming the waiting session, starting flows), and commit
// everything a batch of contacts produced — sessions, runs, messages to send, contact and group
// changes, timers — in one transaction (store.Scene). Nothing is acknowledged before it is
// stored, and nothing is deleted from the queue before its effects are committed, so a crash at
// any point loses nothing: leases run out and the work is taken again.
//
// What runs where:
//   - receive.go: channels hand in messages and events; a group-commit writer stores them.
//   - worker.go: leases contacts with work, handles them, commits the scenes.
//   - handle_*.go: one file per task type; triggers.go matches triggers (runtime.md §2.3).
//   - scene.go: turns an engine sprint into what is stored.
//   - starts.go: resolves flow starts and broadcasts into contact tasks.
//   - timers.go: polls the timer table (wait timeouts, expirations, session expirations,
//     campaign fires).
//   - campaigns*.go, handle_campaign.go: campaign events — fire times, scheduling for a group,
//     per-contact rescheduling inside the scene, firing with start modes, import.
//   - schedules*.go: scheduled broadcasts and triggers, fired once across nodes.
//   - workspace.go: per-workspace engine environment and assets, cached by version.
package runtime

import _ "careflow/engine/builtin" // the engine's actions, routers, triggers and resumes
