package channel

import (
	"strings"
	"unicode/utf8"
)

// gsm7Alphabet is the GSM 03.38 default alphabet and its extension table (the extension
// characters cost two septets but are still GSM 7-bit).
const gsm7Alphabet = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" +
	"\f^{}\\[~]|€"

// isGSM7 reports whether text fits the GSM 7-bit alphabet (else it goes as unicode).
func isGSM7(text string) bool {
	for _, r := range text {
		if r == utf8.RuneError || !strings.ContainsRune(gsm7Alphabet, r) {
			return false
		}
	}
	return true
}

// gsm7Substitutes are the look-alikes the External API's smart encoding (encoding "S")
// puts in place of characters outside the alphabet: accented letters the alphabet lacks,
// and the typographic quotes, dash, no-break space and tab word processors leave in texts.
var gsm7Substitutes = strings.NewReplacer(
	"á", "a", "â", "a", "ã", "a", "ç", "c", "ê", "e", "í", "i", "î", "i", "ó", "o", "ô", "o", "õ", "o", "ú", "u", "û", "u",
	"Á", "A", "Â", "A", "Ã", "A", "À", "A", "Ç", "C", "È", "E", "Ê", "E", "Í", "I", "Î", "I", "Ì", "I",
	"Ó", "O", "Ô", "O", "Ò", "O", "Õ", "O", "Ú", "U", "Ù", "U", "Û", "U",
	"‘", "'", "’", "'", "“", `"`, "”", `"`, "–", "-", "\u00a0", " ", "\t", " ",
)

// smartGSM7 returns text with its substitutable characters replaced when that makes it
// fit the GSM alphabet (one segment holds 160 characters instead of 70), else text as it is.
func smartGSM7(text string) string {
	if r := gsm7Substitutes.Replace(text); isGSM7(r) {
		return r
	}
	return text
}
