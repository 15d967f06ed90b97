package expr

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// arabicVariants maps Persian/Pashto letter variants and Eastern Arabic digits to the
// standard Arabic letters and ASCII digits.
var arabicVariants = strings.NewReplacer(
	"ک", "ك", "ڪ", "ك", "ی", "ي", "ى", "ي", "ې", "ي", "ھ", "ه", "ە", "ه", "ۀ", "ه",
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
)

// confusableLatin maps common Cyrillic and Greek look-alikes to the Latin letter they
// imitate. It covers the letters that appear in practice in spoofed replies, not the whole
// Unicode confusables table.
var confusableLatin = strings.NewReplacer(
	"а", "a", "в", "b", "с", "c", "ԁ", "d", "е", "e", "һ", "h", "і", "i", "ј", "j", "к", "k",
	"ӏ", "l", "м", "m", "о", "o", "р", "p", "ԛ", "q", "ѕ", "s", "т", "t",
	"ս", "u", "ѵ", "v", "ԝ", "w", "х", "x", "у", "y", "ᴢ", "z",
	"α", "a", "ο", "o", "ν", "v", "ρ", "p", "τ", "t", "υ", "u", "ι", "i", "κ", "k",
	"А", "A", "В", "B", "С", "C", "Е", "E", "Н", "H", "І", "I", "Ј", "J", "К", "K", "М", "M",
	"О", "O", "Р", "P", "Ѕ", "S", "Т", "T", "Х", "X", "У", "Y",
	"Α", "A", "Β", "B", "Ε", "E", "Η", "H", "Ι", "I", "Κ", "K", "Μ", "M", "Ν", "N", "Ο", "O",
	"Ρ", "P", "Τ", "T", "Χ", "X", "Υ", "Y", "Ζ", "Z",
)

// collate returns the form of a word used to compare words under the environment's input
// collation (flows.md §4).
func collate(env *Environment, s string) string {
	switch env.InputCollation {
	case CollationArabicVariants:
		return strings.ToLower(arabicVariants.Replace(norm.NFKC.String(s)))
	case CollationConfusables:
		return strings.ToLower(confusableLatin.Replace(arabicVariants.Replace(norm.NFKC.String(s))))
	}
	return strings.ToLower(s)
}
