// Package contactql implements RapidPro's contact query language (flows.md §9.7): the queries of
// query-based ("smart") groups, of flow starts and broadcasts, and of contact search. It parses
// a query, validates it against the workspace's fields, groups and flows, gives its canonical
// form and what it refers to, and evaluates it against one contact in memory.
//
// It is pure: no I/O, no clock (dates are read through the *expr.Environment, whose Clock only
// matters for two-digit years), no randomness. It imports expr (environment and date parsing)
// and no other careflow package; it must never import engine, store or anything doing I/O.
//
// # Syntax
//
// A query is conditions joined by AND and OR (any case), with parentheses. Adjacent conditions
// are joined by an implied AND, and AND binds tighter than OR, so `a b OR c` is `(a AND b) OR c`.
// A condition is `property operator value`; the operators are = != ~ > >= < <=, and the words
// IS (=) and HAS (~). Values are bare words (letters, digits and _ . - + / ' @ :) or double
// quoted strings with backslash escapes.
//
// Properties are fixed attributes (uuid, id, ref, name, status, language, urn, group, flow,
// history, tickets, created_on, last_seen_on), URN schemes (tel, whatsapp, twitter, mailto, …,
// or urns.<scheme>) and contact fields by key (or fields.<key>). Attributes win over schemes,
// and schemes over fields, unless a prefix says otherwise.
//
// A bare value is a guess, as in the reference: a whole query that is only a phone number
// (for the environment's default country) is `tel = <E.164>`; a URN (tel:+250…) is an exact
// match on that scheme; digits and dashes (4 or more) are `tel ~ <digits>`; anything else
// searches names (`name ~ value`, or `name = value` when it has no word of two characters).
// When the environment redacts URNs, bare values never become URN conditions, and a value
// shaped like a contact reference (6 or 7 characters of the ref alphabet) is `ref = value`.
//
// # Validation and errors
//
// Parse returns an *Error with the reference's code (ErrSyntax, ErrUnknownProperty,
// ErrInvalidNumber, …) and message for anything wrong: syntax, unknown field or property type,
// ~ on anything but name and URNs, comparisons on anything but numbers and dates, set checks
// (= "" and != "") on uuid, id, ref, status, created_on and tickets, values that aren't numbers
// or dates for number and date properties, unknown group or flow names, invalid statuses and
// language codes, queries on URNs when URNs are redacted (set checks on them are still
// allowed), and queries over the limits (10,000 characters, 100 nested brackets, 250
// conditions) as ErrTooComplex. With a nil resolver fields are accepted with any type, group
// and flow names aren't checked, and the query can't be evaluated.
//
// # Canonical form and inspection
//
// Query.String gives the form RapidPro stores: fields as fields.key and schemes as
// urns.scheme, aliases replaced, values quoted unless they are plain decimals, same-operator
// nesting flattened and parentheses only where needed, e.g. `age>30 gender=M` becomes
// `fields.age > 30 AND fields.gender = "M"`. Query.Short drops the prefixes where that reads
// the same (`age > 30 AND gender = "M"`). Inspect lists the attributes, schemes, fields and
// groups used and whether the query may define a group (not with id, ref, status, group, flow
// or history).
//
// # Building queries in code
//
// NewCondition and NewCombination build trees (a parsed query's Root can be a part), and Build
// validates and simplifies them as Parse does; the runtime uses this for flow starts, whose
// recipients become `(group = "A" OR uuid = "…" OR <user query>) AND <exclusions>`.
//
// # Evaluation
//
// Evaluate(env, contact, query) answers for one contact through the Contact interface, which
// the engine implements over its contact (FlowContact and RefContact are optional extras). The
// semantics are those of the reference's search:
//
//   - A property may have several values (all tel URNs, all groups). =, ~ and the comparisons
//     match when any value does; != matches when no value equals the query value (so it is true
//     for a contact with no value). `x = ""` is true when x has no value, `x != ""` when it has.
//   - Text compares without regard to case or surrounding space. name ~ matches when a word of
//     the query (of two or more characters) is a prefix of a word of the name, both cut to eight
//     characters. ~ on URNs (urn, tel, …) is a substring match on the path (at least three
//     characters). URN paths are compared as stored (the engine keeps tel paths in E.164); only
//     a bare phone-number query is normalised, with the environment's default country.
//   - Numbers compare as decimals; tickets is the count of open tickets.
//   - A date value is read in the environment's date format and timezone and stands for that
//     whole day: = is any time that day, > from the next midnight, >= from its start, < before
//     its start, <= before its end. Datetime fields and created_on/last_seen_on are instants.
//   - Field values are read by the field's type: text, number, datetime, or the last part of a
//     state/district/ward location path.
//   - group, flow and history compare by the UUID of the named asset; id as exact text (it is a document id).
//
// The reference's in-memory evaluation answers only uuid, name, language, urn, tickets,
// created_on, last_seen_on, schemes and fields; this one also answers id, status, group, flow,
// history and ref, with the search semantics. Group queries can't use those (Inspect says so),
// so smart groups behave the same.
//
// # Translating queries
//
// A store may translate a parsed query into its own language (careflow's SQL store does, see
// docs/runtime.md) with what translate.go exposes: Query.TypeOf, Condition.NumberValue and
// Condition.DayRange (the values as Evaluate reads them, dates as the day's bounds in the
// query's timezone), NormalText and NameSearchTokens. Evaluate stays the reference: whatever a
// translation can't express exactly must be left to it.
//
// # Query-based groups: how the engine calls this package
//
// The engine owns re-evaluation (at session start, on resume and after each modifier that
// changes the contact) and the contact_groups_changed event; per flows.md §9.7:
//
//  1. Once per session (its merged environment: timezone, default country and redaction policy
//     all matter), parse the groups: smart := contactql.ParseSmartGroups(env, groups, resolver),
//     where groups are the session's group assets as []*contactql.Group (UUID, Name, Query, in
//     asset order) and resolver implements Resolver over the session assets (a
//     *contactql.Assets will do). Groups whose query doesn't parse come back with Query nil and
//     Err set: they match nobody, and the engine may log Err.
//  2. Whenever memberships must be recomputed: added, removed := contactql.Reevaluate(contact,
//     smart), with contact the engine's Contact implementation. Only active contacts qualify
//     for any query-based group; static groups are never touched.
//  3. Apply the changes to the contact (append added in that order, drop removed), then, when
//     either list is non-empty, log contact_groups_changed with them. Removing a non-active
//     contact from its static groups is the engine's own rule and stays in the engine.
//  4. With URNs redacted, queries that test URN values fail to parse (ErrRedactedURNs), so step
//     1 makes those groups empty, which is what the smart_groups fixtures expect.
//
// The engine's Contact type has exported fields named like the interface's methods (UUID,
// Name, …), so it implements Contact through a thin wrapper, as ExampleReevaluate shows; its
// FieldValue converts directly (contactql.FieldValue(*v): same fields, same order).
//
// For a single group, contactql.InGroup(contact, query) answers membership. The smart_groups
// fixtures are checked here by TestSmartGroups through exactly these calls.
package contactql
