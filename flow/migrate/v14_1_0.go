package migrate

import "strings"

// 14.1.0: webhook nodes used to route on the result the action saved (@results.x.category); the
// engine now routes them on the HTTP status. Such a node (one call_webhook/call_resthook action
// and a switch on @results...) keeps only its first (success) case, now testing the status is
// 2xx. Also at most 10 quick replies are allowed: extra ones are dropped.
func init() { register("14.1.0", migrate14_1_0) }

const maxQuickReplies = 10

func migrate14_1_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		if !isWebhookNode(node) {
			continue
		}
		r := router(node)
		cs := cases(r)
		if !strings.HasPrefix(str(r, "operand"), "@results.") || len(cs) == 0 || len(asList(r["cases"])) == 0 {
			continue
		}
		first := asMap(asList(r["cases"])[0])
		if first == nil {
			continue
		}
		first["type"] = "has_number_between"
		first["arguments"] = []any{"200", "299"}
		r["operand"] = "@webhook.status"
		r["cases"] = []any{first}
	}
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if t := str(a, "type"); t != "send_msg" && t != "send_broadcast" {
				continue
			}
			if qrs := asList(a["quick_replies"]); len(qrs) > maxQuickReplies {
				a["quick_replies"] = qrs[:maxQuickReplies]
			}
		}
	}
	return nil
}
