// Package cht is careflow's health-records half: the parts of the Community Health Toolkit's
// integration surface that RapidPro/TextIt, cht-gateway and cht-conf talk to (records, contacts,
// contacts-by-phone, users and roles, settings, credentials), and outbound push.
//
// Documents are CouchDB-style JSON kept by the store; every document write goes through Docs so
// that work hooked on writes (outbound push) sees each one.
package cht
