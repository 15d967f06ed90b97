package web

import (
	"net/http"
	"strings"
	"sync"

	"careflow/expr"
)

// editorDocs is what <temba-completion> offers while typing an expression: the context's shape
// and every function, generated from expr's own function list so the docs never drift from
// what careflow evaluates.
func (w *Web) editorDocs(rw http.ResponseWriter, r *http.Request) {
	docsOnce.Do(buildDocs)
	writeJSON(rw, http.StatusOK, docsJSON)
}

var (
	docsOnce sync.Once
	docsJSON map[string]any
)

type docExample struct {
	Template string `json:"template"`
	Output   string `json:"output"`
}

func buildDocs() {
	var fns []map[string]any
	for _, f := range expr.Functions() {
		if f.IsTest {
			continue // router tests are not offered in templates
		}
		examples := []docExample{}
		if tpl, out, ok := strings.Cut(f.Example, " → "); ok {
			examples = append(examples, docExample{Template: tpl, Output: strings.Trim(out, "`")})
		}
		fns = append(fns, map[string]any{"signature": f.Signature, "summary": f.Summary, "detail": "", "examples": examples})
	}
	docsJSON = map[string]any{"context": contextDocs(), "functions": fns}
}

// prop is one property of a context type: its key, help and type name.
type prop struct {
	Key  string `json:"key"`
	Help string `json:"help"`
	Type string `json:"type,omitempty"`
}

// ctxType is a context type: fixed properties, or keys taken from an asset list
// (key_source) that each have the property template's shape.
type ctxType struct {
	Name       string         `json:"name"`
	Properties []prop         `json:"properties,omitempty"`
	KeySource  string         `json:"key_source,omitempty"`
	Template   map[string]any `json:"property_template,omitempty"`
}

func keyed(name, source, help string) ctxType {
	return ctxType{Name: name, KeySource: source, Template: map[string]any{"key": "{key}", "help": help, "type": "any"}}
}

// contextDocs describes careflow's expression context (the same one the engine builds).
func contextDocs() map[string]any {
	types := []ctxType{
		keyed("fields", "fields", "{key} for the contact"),
		keyed("globals", "globals", "the global value {key}"),
		keyed("results", "results", "the result for {key}"),
		keyed("locals", "locals", "the local variable {key}"),
		keyed("urns", "schemes", "the {key} URN of the contact"),
		{Name: "contact", Properties: []prop{{"uuid", "the UUID of the contact", "text"}, {"id", "the numeric ID of the contact", "text"},
			{"name", "the full name of the contact", "text"}, {"first_name", "the first name of the contact", "text"},
			{"language", "the language of the contact as 3-letter ISO code", "text"}, {"status", "the status of the contact", "text"},
			{"timezone", "the timezone of the contact", "text"}, {"urn", "the preferred URN of the contact", "text"},
			{"urns", "the URNs of the contact", "any"}, {"groups", "the groups the contact belongs to", "group"},
			{"fields", "the custom field values of the contact", "fields"}, {"channel", "the preferred channel of the contact", "channel"},
			{"created_on", "the creation date of the contact", "datetime"}, {"last_seen_on", "the last seen date of the contact", "datetime"}}},
		{Name: "channel", Properties: []prop{{"uuid", "the UUID of the channel", "text"}, {"name", "the name of the channel", "text"}, {"address", "the address of the channel", "text"}}},
		{Name: "group", Properties: []prop{{"uuid", "the UUID of the group", "text"}, {"name", "the name of the group", "text"}}},
		{Name: "flow", Properties: []prop{{"uuid", "the UUID of the flow", "text"}, {"name", "the name of the flow", "text"}, {"revision", "the revision number of the flow", "text"}}},
		{Name: "input", Properties: []prop{{"uuid", "the UUID of the input", "text"}, {"text", "the text of the input", "text"},
			{"attachments", "any attachments on the input", "any"}, {"channel", "the channel that the input was received on", "channel"},
			{"created_on", "the creation date of the input", "datetime"}, {"urn", "the contact URN that the input was received on", "text"}}},
		{Name: "node", Properties: []prop{{"uuid", "the UUID of the node", "text"}, {"visit_count", "the count of visits to the node in this run", "number"}}},
		{Name: "result", Properties: []prop{{"name", "the name of the result", "text"}, {"value", "the value of the result", "text"},
			{"category", "the category of the result", "text"}, {"category_localized", "the localized category of the result", "text"},
			{"input", "the input of the result", "text"}, {"extra", "the extra data of the result such as a webhook response", "any"},
			{"node_uuid", "the UUID of the node in the flow that generated the result", "text"}, {"created_on", "the creation date of the result", "datetime"}}},
		{Name: "related_run", Properties: []prop{{"uuid", "the UUID of the run", "text"}, {"contact", "the contact of the run", "contact"},
			{"flow", "the flow of the run", "flow"}, {"fields", "the custom field values of the run's contact", "fields"},
			{"urns", "the URN values of the run's contact", "urns"}, {"results", "the results saved by the run", "results"},
			{"status", "the status of the run", "text"}}},
		{Name: "run", Properties: []prop{{"uuid", "the UUID of the run", "text"}, {"contact", "the contact of the run", "contact"},
			{"flow", "the flow of the run", "flow"}, {"status", "the current status of the run", "text"},
			{"results", "the results saved by the run", "results"}, {"created_on", "the creation date of the run", "datetime"},
			{"exited_on", "the exit date of the run", "datetime"}}},
		{Name: "trigger", Properties: []prop{{"type", "the type of trigger that started this session", "text"},
			{"params", "the parameters passed to the trigger", "any"}, {"keyword", "the keyword match if this is a keyword trigger", "text"},
			{"user", "the user who started this session", "user"}, {"campaign", "the campaign if this is a campaign trigger", "any"}}},
		{Name: "resume", Properties: []prop{{"type", "the type of resume that resumed this session", "text"}}},
		{Name: "user", Properties: []prop{{"uuid", "the UUID of the user", "text"}, {"email", "the email address of the user", "text"},
			{"name", "the name of the user", "text"}, {"first_name", "the first name of the user", "text"}}},
		{Name: "webhook", Properties: []prop{{"status", "the status code of the response", "number"}, {"json", "the parsed JSON response", "any"},
			{"headers", "the response headers", "any"}, {"url", "the URL that was called", "text"}}},
	}
	session := []prop{{"contact", "the contact", "contact"}, {"fields", "the custom field values of the contact", "fields"},
		{"urns", "the URN values of the contact", "urns"}, {"globals", "the global values", "globals"},
		{"input", "the current input from the contact", "input"}, {"results", "the results saved by the current run", "results"},
		{"locals", "the local variables of the current run", "locals"}, {"run", "the current run", "run"},
		{"child", "the last child run", "related_run"}, {"parent", "the parent of the run", "related_run"},
		{"node", "the current node", "node"}, {"webhook", "the parsed JSON response of the last webhook call", "webhook"},
		{"trigger", "the trigger that started this session", "trigger"}, {"resume", "the resume that continued this session", "resume"},
		{"ticket", "the open ticket of the contact", "any"}, {"legacy_extra", "the legacy extra values", "any"}}
	noSession := []prop{{"contact", "the contact", "contact"}, {"fields", "the custom field values of the contact", "fields"},
		{"urns", "the URN values of the contact", "urns"}, {"globals", "the global values", "globals"}}
	return map[string]any{"types": types, "root": session, "root_no_session": noSession}
}
