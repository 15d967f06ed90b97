package migrate

// 14.4.0: send_msg can no longer send to all of the contact's URNs; the all_urns flag is removed
// (messages go to the preferred URN).
func init() { register("14.4.0", migrate14_4_0) }

func migrate14_4_0(f Flow, cfg *Config) error {
	for _, node := range f.nodes() {
		for _, a := range actions(node) {
			if str(a, "type") == "send_msg" {
				delete(a, "all_urns")
			}
		}
	}
	return nil
}
