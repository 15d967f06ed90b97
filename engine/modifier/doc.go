// Package modifier holds the contact modifiers (flows.md §3.3): the changes actions make to a
// contact, one file per type registered by its wire name so callers can also apply them from
// JSON. Each modifier logs its own events and reports whether the contact changed; the engine
// then re-evaluates query-based groups. It must not import os, net/http or database/sql.
package modifier
