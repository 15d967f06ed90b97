// Package router registers the router types (flows.md §3.5) with the engine: switch, which
// calls router tests on an operand, and random. It must not import os, net/http or
// database/sql.
package router
