package postgres

// Migrations exposes the embedded migrations to the external tests.
var Migrations = migrations

// SplitMaxConns exposes the DSN's max_conns handling to the external tests.
var SplitMaxConns = splitMaxConns
