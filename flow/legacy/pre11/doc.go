// Package pre11 brings RapidPro exports older than legacy version 11.12 (back to version 3,
// 2014) to 11.12, the oldest shape goflow's legacy conversion reads, as RapidPro does on import
// before handing the flows to goflow: flows nested under "definition", action_sets without
// exit_uuid, unlocalized texts, "=(...)" and filter-style expressions, numeric ids, webhook
// actions and the other pre-11 shapes.
//
// Each step is one of RapidPro's legacy migrations (temba/flows/legacy/migrations.py), as they
// behave on import: without a database, so the steps that only repair flows already stored in a
// workspace (11.6, 11.9, 11.11, 11.12) do nothing, object ids become UUIDs generated per id,
// and no contact field is known to be a date or a location (11.0 wraps only @date and dated or
// located results). New UUIDs come from the caller's generator.
//
// The package is pure: no I/O. It must not import os, net/http or database/sql.
package pre11
