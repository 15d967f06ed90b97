// Package action registers the executors of every flow action type (flows.md §3.4) with the
// engine, one file per type named after its wire name. Executors evaluate templates through the
// run, change the contact only through modifiers and report everything as events. Problems with
// the flow's content become error events, never Go errors. It must not import os, net/http or
// database/sql.
package action
