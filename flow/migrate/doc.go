// Package migrate upgrades flow definitions, as raw JSON, from older flow spec versions (13.0.0
// onwards) to the current one (14.4.2). Each spec version has one migration function, registered
// under its semantic version; ToVersion applies, in order, every registered migration newer than
// the definition's spec_version and no newer than the target, setting spec_version after each.
//
// Migrations work on decoded JSON (map[string]any) rather than on the definition types of package
// flow: they must accept shapes those types no longer have (templating, open_ticket.body ...).
// They never fail on shapes they don't expect; they leave them alone.
//
// Some migrations create items that need new UUIDs; those come from Config.NewUUID, so this
// package is pure (no randomness, clock or I/O). It must not import package flow (flow imports
// it) nor anything doing I/O.
package migrate
