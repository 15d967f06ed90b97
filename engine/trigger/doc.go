// Package trigger registers the trigger types (flows.md §11.1) with the engine, one file per
// type: what each requires, the input it brings and its @trigger properties. It must not import
// os, net/http or database/sql.
package trigger
