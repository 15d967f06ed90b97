package expr

import "strings"

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "split", Signature: "split(text [, delimiters])", Summary: "Splits text into words, or on any of the delimiter characters, dropping empty pieces.", Example: `@(split("a b c"))` + " → `[a, b, c]`"}, 1, 2, fnSplit},
		{FunctionInfo{Name: "word", Signature: "word(text, index [, delimiters])", Summary: "Returns the word at index (0-based, negative from the end).", Example: `@(word("one two", 1))` + " → `two`"}, 2, 3, fnWord},
		{FunctionInfo{Name: "remove_first_word", Signature: "remove_first_word(text)", Summary: "Removes the first word, keeping the rest as written.", Example: `@(remove_first_word("one two three"))` + " → `two three`"}, 1, 1, fnRemoveFirstWord},
		{FunctionInfo{Name: "word_count", Signature: "word_count(text [, delimiters])", Summary: "Counts the words in text.", Example: `@(word_count("one two"))` + " → `2`"}, 1, 2, fnWordCount},
		{FunctionInfo{Name: "word_slice", Signature: "word_slice(text, start [, end [, delimiters]])", Summary: "Returns words start to end-1 joined by spaces.", Example: `@(word_slice("a b c d", 1, 3))` + " → `b c`"}, 2, 4, fnWordSlice},
		{FunctionInfo{Name: "field", Signature: "field(text, index, delimiter)", Summary: "Splits text on delimiter and returns the trimmed piece at index.", Example: `@(field("a,b,c", 1, ","))` + " → `b`"}, 3, 3, fnField},
	})
}

// fnSplit splits text into an array of words.
func fnSplit(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	delims, err := optText(env, args, 1)
	if err != nil {
		return err
	}
	ws := wordsOf(s, delims)
	if len(ws) > maxArrayItems {
		return errArrayTooLong
	}
	items := make([]Value, len(ws))
	for i, w := range ws {
		items[i] = Text(w.text)
	}
	return NewArray(items...)
}

// fnWord returns one word of text.
func fnWord(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	idx, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	delims, err := optText(env, args, 2)
	if err != nil {
		return err
	}
	ws := wordsOf(s, delims)
	i := idx
	if i < 0 {
		i += len(ws)
	}
	if i < 0 || i >= len(ws) {
		return Errorf("index %d is out of range for the number of words %d", idx, len(ws))
	}
	return Text(ws[i].text)
}

// fnRemoveFirstWord returns text from the start of its second word.
func fnRemoveFirstWord(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	ws := tokenizeWords(s)
	if len(ws) < 2 {
		return Text("")
	}
	return Text(s[ws[1].start:])
}

// fnWordCount counts words.
func fnWordCount(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	delims, err := optText(env, args, 1)
	if err != nil {
		return err
	}
	return NumberFromInt(int64(len(wordsOf(s, delims))))
}

// fnWordSlice joins a range of words with single spaces.
func fnWordSlice(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	start, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	if start < 0 {
		return NewError("must start with a positive index")
	}
	end, err := optInt(env, args, 2, -1)
	if err != nil {
		return err
	}
	if end > 0 && end <= start {
		return NewError("must have a end which is greater than the start")
	}
	delims, err := optText(env, args, 3)
	if err != nil {
		return err
	}
	ws := wordTexts(wordsOf(s, delims))
	if start >= len(ws) {
		return Text("")
	}
	if end < 0 || end > len(ws) {
		end = len(ws)
	}
	if end <= start {
		return Text("")
	}
	return Text(strings.Join(ws[start:end], " "))
}

// fnField returns the index-th piece of text split on an exact delimiter.
func fnField(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	idx, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	if idx < 0 {
		return NewError("cannot use a negative index")
	}
	delim, err := ToText(env, args[2])
	if err != nil {
		return err
	}
	pieces := strings.Split(s, delim)
	if delim == " " {
		var kept []string
		for _, p := range pieces {
			if p != "" {
				kept = append(kept, p)
			}
		}
		pieces = kept
	}
	if idx >= len(pieces) {
		return Text("")
	}
	return Text(strings.TrimSpace(pieces[idx]))
}
