// Package store is careflow's storage contract: the domain records kept in the database
// (documents, users, settings, credentials, ...), the Store interface both backends implement,
// and the sentinel errors callers check with errors.Is.
//
// Backends live in subpackages, one per database driver: store/sqlite (the default, embedded)
// and store/postgres (several careflow nodes sharing one database). store/sqlstore holds the
// SQL they share; store/storetest is the one suite both must pass. Callers never see driver
// errors: backends translate them into ErrNotFound and ErrConflict.
//
// This package imports no driver and does no I/O of its own.
package store
