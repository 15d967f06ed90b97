package expr

import "time"

// dateNames holds localized month and weekday names for layouts' MMM/MMMM/EEE/EEEE (spec
// §4.4), keyed by ISO 639-3 language. Languages not listed use English.
type dateNames struct {
	months   [12]string
	weekdays [7]string // Sunday first
}

var localDateNames = map[string]dateNames{
	"spa": {
		months:   [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		weekdays: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
	},
	"fra": {
		months:   [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	},
	"por": {
		months:   [12]string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		weekdays: [7]string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"},
	},
}

// short returns the first three characters of a name.
func short(name string) string {
	r := []rune(name)
	if len(r) > 3 {
		r = r[:3]
	}
	return string(r)
}

// monthName returns the full or short month name in the language (English by default).
func monthName(lang string, m time.Month, full bool) string {
	name := m.String()
	if n, ok := localDateNames[lang]; ok {
		name = n.months[m-1]
	}
	if full {
		return name
	}
	return short(name)
}

// weekdayName returns the full or short weekday name in the language (English by default).
func weekdayName(lang string, d time.Weekday, full bool) string {
	name := d.String()
	if n, ok := localDateNames[lang]; ok {
		name = n.weekdays[d]
	}
	if full {
		return name
	}
	return short(name)
}
