package web

import (
	"net/http"
	"sort"
	"strconv"
)

// languageNames names the ISO 639-3 languages the editor offers for translation. The list is
// the languages careflow's deployments use most; a workspace language missing here shows by
// its code.
var languageNames = map[string]string{
	"afr": "Afrikaans", "amh": "Amharic", "ara": "Arabic", "aym": "Aymara", "ben": "Bengali", "bos": "Bosnian",
	"cat": "Catalan", "ces": "Czech", "cmn": "Mandarin Chinese", "deu": "German", "ell": "Greek",
	"eng": "English", "fas": "Persian", "fil": "Filipino", "fra": "French", "ful": "Fulah", "guj": "Gujarati",
	"hau": "Hausa", "heb": "Hebrew", "hin": "Hindi", "hrv": "Croatian", "hye": "Armenian", "ibo": "Igbo",
	"ind": "Indonesian", "ita": "Italian", "jpn": "Japanese", "kin": "Kinyarwanda", "kor": "Korean",
	"lin": "Lingala", "lug": "Ganda", "mal": "Malayalam", "mar": "Marathi", "mlg": "Malagasy", "mya": "Burmese",
	"nep": "Nepali", "nld": "Dutch", "nya": "Nyanja", "orm": "Oromo", "pan": "Panjabi", "pol": "Polish",
	"por": "Portuguese", "que": "Quechua", "ron": "Romanian", "run": "Rundi", "rus": "Russian", "sna": "Shona",
	"som": "Somali", "spa": "Spanish", "sqi": "Albanian", "srp": "Serbian", "swa": "Swahili", "tam": "Tamil",
	"tel": "Telugu", "tha": "Thai", "tir": "Tigrinya", "tur": "Turkish", "twi": "Twi", "ukr": "Ukrainian",
	"urd": "Urdu", "vie": "Vietnamese", "wol": "Wolof", "xho": "Xhosa", "yor": "Yoruba", "zho": "Chinese",
	"zul": "Zulu",
}

func languageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// orgLanguages is every language the editor may name (temba-store's languages list).
func (w *Web) orgLanguages(rw http.ResponseWriter, r *http.Request) {
	codes := make([]string, 0, len(languageNames))
	for c := range languageNames {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]map[string]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, map[string]string{"value": c, "name": languageNames[c]})
	}
	writeJSON(rw, http.StatusOK, map[string]any{"next": nil, "results": out})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
