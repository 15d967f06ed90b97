// Package resume registers the resume types (flows.md §11.2) with the engine, one file per
// type: the event each carries and what it does to the session's input before routing. It must
// not import os, net/http or database/sql.
package resume
