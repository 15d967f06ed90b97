// Package cht is careflow's health-records half: the parts of the Community Health Toolkit's
// integration surface that RapidPro/TextIt, cht-gateway and cht-conf talk to, as services the
// HTTP layer (cht/chthttp) and the CLI call:
//
//   - Users: accounts, roles and CHT's permission rules, PBKDF2 password hashes, Basic and
//     session-cookie authentication with a cache of verified logins; users-info counts what
//     an offline user would replicate (replication.go).
//   - Settings (settings.go), kept in the order keys were given (so JSON forms' fields stay in
//     declaration order), with CHT's default permissions filled in (FillPermissions).
//   - Records: data_record documents from JSON forms and SMS-style submissions, attributed
//     to a contact by facility_reference (rc_code) or by the sender's phone.
//   - Contacts: people and places with minified lineage, hydration, contacts-by-phone with
//     phone numbers normalised as CHT does (NormalizePhone).
//   - Credentials: sealed, write-only secrets. Outbound push reads a credential's plain value
//     with its own cht.NewCredentials(s.Store, s.Secrets).Get(ctx, key); there is no other
//     registry to reach.
//
// Documents are CouchDB-style JSON kept by the store; every document write goes through Docs
// so that work hooked on writes (outbound push) sees each one.
//
// This package does no HTTP and must not import net/http or the server; outbound push lives in
// cht/outbound.
package cht
