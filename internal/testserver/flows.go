package testserver

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"careflow/flow"
)

// Flow building for tests: small RapidPro flows written as Go values, exported in
// a RapidPro export file, so tests say what a flow does instead of pasting JSON. Definitions
// are written at the current spec version.

var uuidSeq atomic.Uint64

// UUID returns a new, valid, test-unique UUID.
func UUID() string {
	n := uuidSeq.Add(1)
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", uint32(n>>16), n)
}

// Node is one node of a test flow.
type Node struct {
	UUID    string
	Actions []map[string]any
	// Wait makes the node wait for a message and route its text (a switch router on
	// @input.text) when Cases or Wait is set.
	Wait bool
	// Operand routes something other than the input (with no wait), e.g. @webhook.status.
	Operand string
	// Result names the router's result.
	Result string
	// Cases route to categories: test type, arguments, category name.
	Cases []Case
	// Timeout, in seconds, adds a "No Response" category on the wait.
	Timeout int
	// Next maps category names ("Other" for the default, "No Response", "Success",
	// "Failure") to the index of the destination node; missing ones end the flow. A node
	// without a router uses Next["*"].
	Next map[string]int
}

// Case is one router case.
type Case struct {
	Type     string
	Args     []string
	Category string
}

// Flow is a test flow.
type Flow struct {
	UUID        string
	Name        string
	Type        string // default messaging
	ExpireAfter int
	Nodes       []*Node
}

// Action helpers.

// Say is a send_msg action.
func Say(text string, quickReplies ...string) map[string]any {
	a := map[string]any{"uuid": UUID(), "type": "send_msg", "text": text}
	if len(quickReplies) > 0 {
		a["quick_replies"] = quickReplies
	}
	return a
}

// SetField is a set_contact_field action.
func SetField(key, name, value string) map[string]any {
	return map[string]any{"uuid": UUID(), "type": "set_contact_field", "field": map[string]string{"key": key, "name": name}, "value": value}
}

// Webhook is a call_webhook action saving its result as result.
func Webhook(method, url, body, result string) map[string]any {
	a := map[string]any{"uuid": UUID(), "type": "call_webhook", "method": method, "url": url,
		"headers": map[string]string{"Content-Type": "application/json"}, "body": body}
	if result != "" {
		a["result_name"] = result
	}
	return a
}

// Resthook is a call_resthook action saving its result as result.
func Resthook(slug, result string) map[string]any {
	a := map[string]any{"uuid": UUID(), "type": "call_resthook", "resthook": slug}
	if result != "" {
		a["result_name"] = result
	}
	return a
}

// Definition builds the flow's definition.
func (f *Flow) Definition() map[string]any {
	if f.UUID == "" {
		f.UUID = UUID()
	}
	if f.Type == "" {
		f.Type = "messaging"
	}
	for _, n := range f.Nodes {
		if n.UUID == "" {
			n.UUID = UUID()
		}
	}
	nodes := []map[string]any{}
	for _, n := range f.Nodes {
		node := map[string]any{"uuid": n.UUID, "actions": orEmpty(n.Actions)}
		dest := func(key string) any {
			if i, ok := n.Next[key]; ok {
				return f.Nodes[i].UUID
			}
			return nil
		}
		if n.Wait || len(n.Cases) > 0 || n.Operand != "" {
			type cat struct{ name, uuid, exit string }
			var cats []cat
			catIdx := map[string]int{}
			addCat := func(name string) string {
				if i, ok := catIdx[name]; ok {
					return cats[i].uuid
				}
				c := cat{name, UUID(), UUID()}
				catIdx[name] = len(cats)
				cats = append(cats, c)
				return c.uuid
			}
			var cases []map[string]any
			for _, c := range n.Cases {
				cases = append(cases, map[string]any{"uuid": UUID(), "type": c.Type, "arguments": orEmptyS(c.Args), "category_uuid": addCat(c.Category)})
			}
			other := addCat("Other")
			router := map[string]any{"type": "switch", "operand": "@input.text", "default_category_uuid": other,
				"cases": orEmptyC(cases)}
			if n.Operand != "" {
				router["operand"] = n.Operand
			}
			if n.Result != "" {
				router["result_name"] = n.Result
			}
			if n.Wait {
				wait := map[string]any{"type": "msg"}
				if n.Timeout > 0 {
					wait["timeout"] = map[string]any{"seconds": n.Timeout, "category_uuid": addCat("No Response")}
				}
				router["wait"] = wait
			}
			var catsJSON, exits []map[string]any
			for _, c := range cats {
				catsJSON = append(catsJSON, map[string]any{"uuid": c.uuid, "name": c.name, "exit_uuid": c.exit})
				exits = append(exits, map[string]any{"uuid": c.exit, "destination_uuid": dest(c.name)})
			}
			router["categories"] = catsJSON
			node["router"] = router
			node["exits"] = exits
		} else {
			node["exits"] = []map[string]any{{"uuid": UUID(), "destination_uuid": dest("*")}}
		}
		nodes = append(nodes, node)
	}
	def := map[string]any{"uuid": f.UUID, "name": f.Name, "spec_version": flow.CurrentSpecVersion, "language": "eng", "type": f.Type,
		"revision": 1, "localization": map[string]any{}, "nodes": nodes}
	if f.ExpireAfter > 0 {
		def["expire_after_minutes"] = f.ExpireAfter
	}
	return def
}

// Export builds a RapidPro export file (version 13) holding the flows.
func Export(flows ...*Flow) []byte {
	defs := []map[string]any{}
	for _, f := range flows {
		defs = append(defs, f.Definition())
	}
	data, _ := json.Marshal(map[string]any{"version": "13", "site": "https://app.rapidpro.io", "flows": defs,
		"campaigns": []any{}, "triggers": []any{}, "fields": []any{}, "groups": []any{}})
	return data
}

func orEmpty(a []map[string]any) []map[string]any {
	if a == nil {
		return []map[string]any{}
	}
	return a
}

func orEmptyC(a []map[string]any) []map[string]any { return orEmpty(a) }

func orEmptyS(a []string) []string {
	if a == nil {
		return []string{}
	}
	return a
}

// Word is a has_any_word case.
func Word(word, category string) Case {
	return Case{Type: "has_any_word", Args: []string{word}, Category: category}
}
