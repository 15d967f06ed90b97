package migrate

// 14.4.1: every webhook node (one call_webhook/call_resthook action and a switch with at least
// one case) gets the canonical routing: operand @webhook.status, a single has_number_between
// 200..299 case (keeping the first case's UUID and category). Editors had produced variants
// (@webhook.json.status, text tests) that misroute; translated arguments of the old cases no
// longer apply and are removed.
func init() { register("14.4.1", migrate14_4_1) }

func migrate14_4_1(f Flow, cfg *Config) error {
	langs := f.languages()
	for _, node := range f.nodes() {
		if !isWebhookNode(node) {
			continue
		}
		r := router(node)
		caseList := asList(r["cases"])
		if len(caseList) == 0 {
			continue
		}
		first := asMap(caseList[0])
		if first == nil {
			continue
		}
		first["type"] = "has_number_between"
		first["arguments"] = []any{"200", "299"}
		r["operand"] = "@webhook.status"
		r["cases"] = []any{first}
		for _, lang := range langs {
			for _, c := range caseList {
				if cm := asMap(c); cm != nil && str(cm, "uuid") != "" {
					f.deleteTranslation(lang, str(cm, "uuid"), "arguments")
				}
			}
		}
	}
	return nil
}
