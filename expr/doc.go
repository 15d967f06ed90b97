// Package expr implements Excellent, the expression and template language of RapidPro flows,
// matching the reference engine's observable behaviour (values, error messages, rendering).
//
// It is pure: it never does I/O, never reads the clock (now() comes from Environment.Clock)
// and never draws randomness except through Environment.Random. It must not import os,
// net/http, database/sql, math/rand or any careflow package (TestPackageStaysPure checks).
// Zone names are resolved with time.LoadLocation, the standard library's zone database.
//
// # Using it from the engine
//
//  1. Build an *Environment: ParseEnvironment(sessionEnvJSON, clock) (or NewEnvironment), then
//     set Random, DefaultLanguage, Timezone etc. from the merged session environment.
//  2. Build the root context as an *Object whose keys are the root names (contact, fields,
//     urns, results, locals, run, parent, child, input, webhook, trigger, resume, globals,
//     ticket, node, legacy_extra). Values are Text, Number, Boolean, Date, DateTime, Time,
//     *Array, *Object, *Function or nil (null). Objects take a default with SetDefault (so
//     @contact renders as the name) and deprecated properties with SetDeprecated (their use
//     records a warning). Wrap anything costly in NewLazy so it is built only when a template
//     touches it, or implement Contextable and pass ContextOf(env, obj). A context kept and
//     refreshed in place between evaluations can use NewReusableLazy for values whose
//     function reads live state, and Object.Reset / Lazy.Reset instead of making new ones;
//     NewObjectSize pre-sizes an object and Object.SetText keeps an unchanged text. FromJSON
//     builds values from plain JSON, where "__default__" sets defaults. A context may be
//     shared by goroutines: lookups never modify it.
//  3. Evaluate:
//     - EvaluateTemplate(env, ctx, tpl, escape) → text plus Diagnostics (errors with the
//     expression source and message; warnings);
//     - EvaluateTemplateValue(env, ctx, tpl) → a typed Value for operands and arguments;
//     - EvaluateExpression(env, ctx, "expr") for a bare expression.
//  4. Router tests: CallTest(env, "has_any_word", []Value{operand, Text("yes ok")}) returns a
//     TestResult{Matched, Match, Extra} or the error value to log. For location-enabled flows
//     set env.Locations (NewLocations / ParseLocations from the assets' hierarchy) so that
//     has_state, has_district and has_ward can match.
//  5. Values marshal to the reference JSON with ToJSON (json.Marshal also works but, being
//     encoding/json, escapes <, > and &); Render gives the template text of a value, Format
//     the pretty form. An evaluation error with TooComplex set is the budget error, reported
//     with code expression:too_complex.
//
// Inspection: Functions lists every function with signature and example; ContextPaths lists
// the context paths a template refers to. Legacy (pre-13) templates are migrated to this
// syntax by MigrateLegacyTemplate. Helpers for field values: ParseNumberText,
// ParseDateTimeText, FormatURN.
//
// Evaluation is bounded: bracket and unary nesting are limited to 100, each expression has a
// complexity budget (Environment.Budget, spec §3), text-building functions refuse results
// over Environment.MaxValueLength, and parsed expressions and scanned templates are cached
// (bounded) and shared.
//
// The functions are split by family (fn_text.go, fn_number.go, fn_date.go, ...) and router
// tests by theme (test_words.go, test_numbers.go, ...), each file registering its table.
package expr
