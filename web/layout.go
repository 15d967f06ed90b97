package web

import (
	"encoding/json"

	"careflow/flow"
)

// Flows imported from files or built by the API may have no editor layout (_ui). The React
// editor lays such nodes out itself, but <temba-flow-editor> draws nothing without a position
// and a node type for each node, so a missing layout is filled in when a revision is served:
// nodes stacked in definition order, typed the way the editors type them. The stored
// definition is left alone; the editor saves its own layout with its next save.

type nodeUI struct {
	Position map[string]int `json:"position"`
	Type     string         `json:"type"`
}

// withLayout returns the flow's _ui with every node positioned and typed.
func withLayout(fl *flow.Flow) json.RawMessage {
	ui := map[string]any{}
	if len(fl.UI) > 0 {
		_ = json.Unmarshal(fl.UI, &ui)
	}
	nodes, _ := ui["nodes"].(map[string]any)
	if nodes == nil {
		nodes = map[string]any{}
	}
	changed := false
	top := 0
	for _, n := range fl.Nodes {
		if existing, ok := nodes[string(n.UUID)].(map[string]any); ok && existing["position"] != nil {
			if p, ok := existing["position"].(map[string]any); ok {
				if t, ok := p["top"].(float64); ok && int(t)+200 > top {
					top = int(t) + 200
				}
			}
			continue
		}
		nodes[string(n.UUID)] = nodeUI{Position: map[string]int{"left": 0, "top": top}, Type: nodeType(n)}
		top += 200
		changed = true
	}
	if !changed {
		return fl.UI
	}
	ui["nodes"] = nodes
	if ui["languages"] == nil {
		ui["languages"] = []any{}
	}
	data, _ := json.Marshal(ui)
	return data
}

// nodeType is the editor's name for what a node does.
func nodeType(n *flow.Node) string {
	r := n.Router
	if r == nil {
		return "execute_actions"
	}
	for _, a := range n.Actions {
		switch a.Type() {
		case "call_webhook":
			return "split_by_webhook"
		case "call_resthook":
			return "split_by_resthook"
		case "call_llm":
			return "split_by_llm"
		case "enter_flow":
			return "split_by_subflow"
		}
	}
	switch {
	case r.Type == "random":
		return "split_by_random"
	case r.Wait != nil:
		return "wait_for_response"
	}
	return "split_by_expression"
}
