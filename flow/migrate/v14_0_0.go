package migrate

import (
	"encoding/json"
	"strconv"
)

// 14.0.0: expiry became bounded by flow type (messaging at most two weeks, voice 15 minutes,
// other types don't expire), and categories must be named; unnamed router categories become
// "Match" (what editors showed for them).
func init() { register("14.0.0", migrate14_0_0) }

var maxExpiry = map[string]int64{"messaging": 20160, "voice": 15}

func migrate14_0_0(f Flow, cfg *Config) error {
	if n, ok := number(f["expire_after_minutes"]); ok {
		if limit := maxExpiry[str(f, "type")]; n > limit {
			f["expire_after_minutes"] = json.Number(strconv.FormatInt(limit, 10))
		}
	}
	for _, node := range f.nodes() {
		r := router(node)
		if r == nil {
			continue
		}
		for _, c := range asList(r["categories"]) {
			if cat := asMap(c); cat != nil && str(cat, "name") == "" {
				cat["name"] = "Match"
			}
		}
	}
	return nil
}

// number reads an integer JSON value decoded either with UseNumber or as float64.
func number(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}
