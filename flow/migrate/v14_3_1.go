package migrate

import "strings"

// 14.3.1: the single-argument text tests (has_phrase, has_any_word ...) used to accept extra
// arguments that editors produced by splitting on spaces; they now take exactly one. Multiple
// arguments are joined back with spaces, in the case and in its translations.
func init() { register("14.3.1", migrate14_3_1) }

var singleArgTests = map[string]bool{
	"has_only_text": true, "has_phrase": true, "has_only_phrase": true, "has_any_word": true,
	"has_all_words": true, "has_beginning": true, "has_pattern": true,
}

func migrate14_3_1(f Flow, cfg *Config) error {
	langs := f.languages()
	for _, node := range f.nodes() {
		r := router(node)
		if r == nil || str(r, "type") != "switch" {
			continue
		}
		for _, c := range cases(r) {
			if !singleArgTests[str(c, "type")] {
				continue
			}
			if args := asList(c["arguments"]); len(args) > 1 {
				parts := make([]string, len(args))
				for i, a := range args {
					parts[i], _ = a.(string)
				}
				c["arguments"] = []any{strings.Join(parts, " ")}
			}
			for _, lang := range langs {
				if tr := f.translation(lang, str(c, "uuid"), "arguments"); len(tr) > 1 {
					f.setTranslation(lang, str(c, "uuid"), "arguments", []string{strings.Join(tr, " ")})
				}
			}
		}
	}
	return nil
}
