// Package event holds the events a flow engine sprint emits (flows.md §10) and the events that
// arrive inside triggers and resumes, one file per type named after its wire name. Each type
// marshals to the reference JSON field for field; Read turns JSON back into the right type
// through the registry.
//
// The package is data only: it must not import engine, os, net/http or database/sql. The
// engine stamps each event with its UUID and time (Stamp) from its injected services.
package event
