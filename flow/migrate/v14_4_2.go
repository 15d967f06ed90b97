package migrate

// 14.4.2: when a webhook action is skipped (e.g. its URL evaluates empty) @webhook is null and
// routing on @webhook.status logged an expression error. Webhook nodes now route on
// @(default(webhook.status, 0)) so a skipped call quietly takes the Failure category.
func init() { register("14.4.2", migrate14_4_2) }

func migrate14_4_2(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		if !isWebhookNode(node) {
			continue
		}
		r := router(node)
		if str(r, "operand") == "@webhook.status" {
			r["operand"] = "@(default(webhook.status, 0))"
		}
	}
	return nil
}
