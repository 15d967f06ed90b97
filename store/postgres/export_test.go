package postgres

// Migrations exposes the embedded migrations to the external tests.
var Migrations = migrations
