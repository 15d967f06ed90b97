package migrate

import "strings"

// 14.3.0: open_ticket and transfer_airtime stopped saving results; they set the locals
// _new_ticket / _new_transfer instead. Their nodes (the single action plus a switch on
// @results...) now route on that local: the first case becomes has_text, other cases go, and
// the action's result_name moves to the router so the result is still saved.
func init() { register("14.3.0", migrate14_3_0) }

var resultLocals = map[string]string{"open_ticket": "_new_ticket", "transfer_airtime": "_new_transfer"}

func migrate14_3_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		acts := actions(node)
		r := router(node)
		if len(acts) != 1 || len(asList(node["actions"])) != 1 || r == nil || str(r, "type") != "switch" {
			continue
		}
		local := resultLocals[str(acts[0], "type")]
		caseList := asList(r["cases"])
		if local == "" || !strings.HasPrefix(str(r, "operand"), "@results.") || len(caseList) == 0 {
			continue
		}
		first := asMap(caseList[0])
		if first == nil {
			continue
		}
		first["type"] = "has_text"
		first["arguments"] = []any{}
		r["operand"] = "@locals." + local
		r["cases"] = []any{first}
		r["result_name"] = acts[0]["result_name"]
		delete(acts[0], "result_name")
	}
	return nil
}
