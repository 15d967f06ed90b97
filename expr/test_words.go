package expr

import "strings"

func init() {
	registerTests([]builtin{
		{FunctionInfo{Name: "has_phrase", Signature: "has_phrase(text, phrase)", Summary: "Tests whether the phrase's words appear consecutively in order.", Example: `@(has_phrase("the blue sky", "blue sky").match)` + " → `blue sky`"}, 2, 2, testHasPhrase},
		{FunctionInfo{Name: "has_only_phrase", Signature: "has_only_phrase(text, phrase)", Summary: "Tests whether the text's words are exactly the phrase's words.", Example: `@(has_only_phrase("Blue Sky", "blue sky"))` + " → `true`"}, 2, 2, testHasOnlyPhrase},
		{FunctionInfo{Name: "has_any_word", Signature: "has_any_word(text, words)", Summary: "Tests whether any of the words appears; match = the matching words of the text.", Example: `@(has_any_word("I want RED", "red green").match)` + " → `RED`"}, 2, 2, testHasAnyWord},
		{FunctionInfo{Name: "has_all_words", Signature: "has_all_words(text, words)", Summary: "Tests whether all of the words appear.", Example: `@(has_all_words("red and blue", "blue red"))` + " → `true`"}, 2, 2, testHasAllWords},
	})
}

// collatedWords tokenizes text and returns the words as written and in collated form.
func collatedWords(env *Environment, s string) ([]string, []string) {
	words := wordTexts(tokenizeWords(s))
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = collate(env, w)
	}
	return words, keys
}

// testHasPhrase matches consecutive phrase words.
func testHasPhrase(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	words, keys := collatedWords(env, ts[0])
	_, phrase := collatedWords(env, ts[1])
	if len(phrase) == 0 {
		return testResult(true, Text(""), nil)
	}
	for i := 0; i+len(phrase) <= len(keys); i++ {
		ok := true
		for j, p := range phrase {
			if keys[i+j] != p {
				ok = false
				break
			}
		}
		if ok {
			return testResult(true, Text(strings.Join(words[i:i+len(phrase)], " ")), nil)
		}
	}
	return testResult(false, nil, nil)
}

// testHasOnlyPhrase matches when the words are exactly the phrase's.
func testHasOnlyPhrase(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	words, keys := collatedWords(env, ts[0])
	_, phrase := collatedWords(env, ts[1])
	if len(keys) != len(phrase) {
		return testResult(false, nil, nil)
	}
	for i := range keys {
		if keys[i] != phrase[i] {
			return testResult(false, nil, nil)
		}
	}
	return testResult(true, Text(strings.Join(words, " ")), nil)
}

// matchingWords returns the text's words that equal one of the test words, and which test
// words were found.
func matchingWords(env *Environment, text, test string) ([]string, []bool, int) {
	var buf [8]string // test words are usually few: no allocation for them
	tests := buf[:0]
	for w, i, ok := nextWord(test, 0); ok; w, i, ok = nextWord(test, i) {
		tests = append(tests, collate(env, w.text))
	}
	found := make([]bool, len(tests))
	var matched []string
	for w, i, ok := nextWord(text, 0); ok; w, i, ok = nextWord(text, i) {
		k := collate(env, w.text)
		hit := false
		for j, t := range tests {
			if k == t {
				found[j] = true
				hit = true
			}
		}
		if hit {
			matched = append(matched, w.text)
		}
	}
	return matched, found, len(tests)
}

// testHasAnyWord matches when any test word appears.
func testHasAnyWord(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	matched, _, _ := matchingWords(env, ts[0], ts[1])
	return testResult(len(matched) > 0, Text(strings.Join(matched, " ")), nil)
}

// testHasAllWords matches when every test word appears.
func testHasAllWords(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	matched, found, n := matchingWords(env, ts[0], ts[1])
	all := n > 0
	for _, f := range found {
		all = all && f
	}
	return testResult(all, Text(strings.Join(matched, " ")), nil)
}
