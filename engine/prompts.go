package engine

// RapidProPrompts are the LLM prompts RapidPro ships with its engine (mailroom's
// core/ai/prompts), by name. "categorize" is what the editor's "split by AI" uses through
// prompt("categorize", categories); the translate prompts take .Source and .Target language
// codes. An LLM service can offer them with PromptSet(RapidProPrompts).
var RapidProPrompts = map[string]string{
	"categorize": "Categorize the input text into one of the following categories: {{ .arg1 }}.\n" +
		"Return only the name of the most appropriate category.\n" +
		"Return \"<CANT>\" if you can't categorize it.",
	"translate": "Translate each string value in the JSON object input from the language with the ISO code \"{{ .Source }}\" to the language with the ISO code \"{{ .Target }}\".\n" +
		translateRules,
	"translate_unknown_from": "Translate each string value in the JSON object input to the language with the ISO code \"{{ .Target }}\".\n" +
		translateRules,
}

// translateRules are the instructions both translate prompts end with.
const translateRules = "An \"@\" character indicates a variable expression and must be left untranslated.\n" +
	"Preserve the letter case of each input string in its translation (e.g. \":arguments\" and \":name\" values are often lowercase and should stay lowercase).\n" +
	"\":text\" values must not exceed 10000 characters.\n" +
	"\":quick_replies\" values must not exceed 1000 characters each.\n" +
	"Return a JSON object with the same keys, each mapping to an array of translated strings of the same length as its input array.\n" +
	"If any string under a given key cannot be translated, omit that whole key from the response. If none of the strings can be translated, return \"<CANT>\" instead of a JSON object.\n" +
	"Return only the JSON object or \"<CANT>\", with no additional text or explanation.\n"

// PromptSet is a fixed set of named prompts; embed it in an LLM service to implement
// LLMPrompts.
type PromptSet map[string]string

// Prompt returns the named prompt.
func (p PromptSet) Prompt(name string) (string, bool) {
	src, ok := p[name]
	return src, ok
}

var _ LLMPrompts = PromptSet(nil)

// prompt resolves a prompt name for prompt(): the engine's Prompts option first, then the LLM
// service's prompts.
func (e *Engine) prompt(name string) (string, bool) {
	if src, ok := e.Prompts[name]; ok {
		return src, true
	}
	if lp, ok := e.LLM.(LLMPrompts); ok {
		return lp.Prompt(name)
	}
	return "", false
}
