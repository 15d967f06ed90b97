package migrate

// 13.1.0: templated send_msg actions gain a UUID on their templating object, so that its
// variables can be localized like any other item (keyed by that UUID).
func init() { register("13.1.0", migrate13_1_0) }

func migrate13_1_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") != "send_msg" {
				continue
			}
			if t := asMap(a["templating"]); t != nil {
				t["uuid"] = cfg.NewUUID()
			}
		}
	}
	return nil
}
