package postgres

// Migrations exposes the embedded migrations to the external tests.
var Migrations = migrations

// ConnSettings exposes the DSN's handling (max_conns, plan_cache_mode) to the external tests.
var ConnSettings = connSettings
