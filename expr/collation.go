package expr

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// arabicVariants maps letters that Persian, Pashto and Arabic writers use interchangeably to
// one form each (the Persian one), and Arabic-Indic digits to Extended Arabic-Indic ones:
// kaf and keheh, the yeh forms, alef with madda, Pashto letters with rings.
var arabicVariants = strings.NewReplacer(
	"٠", "۰", "١", "۱", "٢", "۲", "٣", "۳", "٤", "۴", "٥", "۵", "٦", "۶", "٧", "۷", "٨", "۸", "٩", "۹",
	"آ", "ا", "ى", "ی", "ي", "ی", "ې", "ی", "ۍ", "ی", "ئ", "ی", "ك", "ک", "ګ", "ک",
	"ټ", "ت", "ډ", "د", "ړ", "ر", "ڼ", "ن", "ښ", "ش",
)

// confusableLatin maps common Cyrillic, Greek, small-capital and IPA look-alikes to the Latin
// letter they imitate, and Arabic letters drawn alike to one form, (after NFKC has folded mathematical and full-width letters). It covers
// the letters that appear in practice in spoofed replies, not the whole Unicode confusables
// table.
var confusableLatin = strings.NewReplacer(
	"а", "a", "в", "b", "с", "c", "ԁ", "d", "е", "e", "һ", "h", "і", "i", "ј", "j", "к", "k",
	"ӏ", "l", "м", "m", "о", "o", "р", "p", "ԛ", "q", "ѕ", "s", "т", "t",
	"ս", "u", "ѵ", "v", "ԝ", "w", "х", "x", "у", "y", "ᴢ", "z",
	"α", "a", "ο", "o", "ν", "v", "ρ", "p", "τ", "t", "υ", "u", "ι", "i", "κ", "k",
	"А", "A", "В", "B", "С", "C", "Е", "E", "Н", "H", "І", "I", "Ј", "J", "К", "K", "М", "M",
	"О", "O", "Р", "P", "Ѕ", "S", "Т", "T", "Х", "X", "У", "Y",
	"Α", "A", "Β", "B", "Ε", "E", "Η", "H", "Ι", "I", "Κ", "K", "Μ", "M", "Ν", "N", "Ο", "O",
	"Ρ", "P", "Τ", "T", "Χ", "X", "Υ", "Y", "Ζ", "Z",
	// small capitals and IPA letters
	"ᴀ", "a", "ʙ", "b", "ᴄ", "c", "ᴅ", "d", "ᴇ", "e", "ꜰ", "f", "ɢ", "g", "ʜ", "h", "ɪ", "i", "ᴊ", "j",
	"ᴋ", "k", "ʟ", "l", "ᴍ", "m", "ɴ", "n", "ᴏ", "o", "ᴘ", "p", "ʀ", "r", "ꜱ", "s", "ᴛ", "t", "ᴜ", "u",
	"ᴠ", "v", "ᴡ", "w", "ʏ", "y", "ᴢ", "z", "ɣ", "y", "ɑ", "a", "ɡ", "g", "ı", "i", "ȷ", "j",
	// Arabic letters drawn alike: kaf and keheh, alef maksura and Farsi yeh
	"ك", "ک", "ى", "ی",
)

// collate returns the form of a word used to compare words under the environment's input
// collation (flows.md §4).
func collate(env *Environment, s string) string {
	switch env.InputCollation {
	case CollationArabicVariants:
		return strings.ToLower(arabicVariants.Replace(norm.NFKC.String(s)))
	case CollationConfusables:
		return strings.ToLower(confusableLatin.Replace(norm.NFKC.String(s)))
	}
	return strings.ToLower(s)
}

// Collate returns the form of a word used to compare it under the environment's input
// collation; the runtime matches trigger keywords with it.
func Collate(env *Environment, s string) string { return collate(env, s) }
