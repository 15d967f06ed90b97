package services

import "maps"

// prompts are the named LLM prompts the reference runtime ships (mailroom's categorize,
// translate and translate_unknown_from), in careflow's own wording with the same intent and
// the same "<CANT>" convention the editors' routers test for. They are Go text/template
// sources for prompt(): arguments bind as {{ .arg1 }}, {{ .arg2 }}... Categories go last so
// an echoing test model can pick the final one.
var prompts = map[string]string{
	"categorize": "Categorize the user's text. Answer with exactly one category name from the list below and nothing else. " +
		"If no category fits, answer <CANT>.\nCategories: {{ .arg1 }}",
	"translate": "Translate the user's text from the language with ISO 639 code \"{{ .arg1 }}\" into the language with ISO 639 code \"{{ .arg2 }}\". " +
		"Leave anything starting with \"@\" (template expressions) untranslated and keep the original letter case. " +
		"Answer with the translation only, or <CANT> if it cannot be translated.",
	"translate_unknown_from": "Translate the user's text into the language with ISO 639 code \"{{ .arg1 }}\". " +
		"Leave anything starting with \"@\" (template expressions) untranslated and keep the original letter case. " +
		"Answer with the translation only, or <CANT> if it cannot be translated.",
}

// Prompts returns the named LLM prompts, for engine.Options.Prompts. The map is a copy.
func Prompts() map[string]string { return maps.Clone(prompts) }
