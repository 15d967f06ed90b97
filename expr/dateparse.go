package expr

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	isoDateTime    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$`)
	isoDatePrefix  = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})`)
	dmyOrMdyRegexp = regexp.MustCompile(`\b(\d{1,2})[-./\\_ ](\d{1,2})[-./\\_ ](\d{4}|\d{2})\b`)
	ymdRegexp      = regexp.MustCompile(`\b(\d{4}|\d{2})[-./\\_ ](\d{1,2})[-./\\_ ](\d{1,2})\b`)
	timeRegexp     = regexp.MustCompile(`\b(\d{1,2})(?::?(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\W*([aApP][mM])?\b`)
)

// validDate returns the date y-m-d if it exists in the calendar.
func validDate(y, m, d int) (Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	dt := NewDate(y, time.Month(m), d)
	if dt.Year() != y || int(dt.Month()) != m || dt.Day() != d {
		return Date{}, false
	}
	return dt, true
}

// parseDateText finds a date in text (spec §4.3); end is where the date text ends.
func parseDateText(env *Environment, s string) (Date, bool) {
	d, _, ok := findDate(env, s)
	return d, ok
}

func findDate(env *Environment, s string) (Date, int, bool) {
	s = strings.TrimSpace(s)
	if m := isoDatePrefix.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if dt, ok := validDate(y, mo, d); ok {
			return dt, len(m[0]), true
		}
	}
	// the reference reads the clock (for the current year) on every parse that gets past the
	// ISO prefix, whether or not a two-digit year needs it: each read is a tick of a ticking
	// clock, so reading it here too keeps later timestamps in step
	year := env.Now().Year()
	format := env.dateFormat()
	re := dmyOrMdyRegexp
	if strings.HasPrefix(format, "YYYY") {
		re = ymdRegexp
	}
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		parts := [3]string{s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]}
		var ys, ms, ds string
		switch {
		case strings.HasPrefix(format, "YYYY"):
			ys, ms, ds = parts[0], parts[1], parts[2]
		case strings.HasPrefix(format, "MM"):
			ms, ds, ys = parts[0], parts[1], parts[2]
		default:
			ds, ms, ys = parts[0], parts[1], parts[2]
		}
		y, _ := strconv.Atoi(ys)
		if len(ys) == 2 {
			y = expandYear(year, y)
		}
		mo, _ := strconv.Atoi(ms)
		d, _ := strconv.Atoi(ds)
		if dt, ok := validDate(y, mo, d); ok {
			return dt, m[1], true
		}
	}
	return Date{}, 0, false
}

// expandYear turns a two-digit year into a four-digit one: above the current year's last
// digits it is in the 1900s, otherwise in the 2000s.
func expandYear(currentYear, yy int) int {
	if yy > currentYear%1000 {
		return 1900 + yy
	}
	return 2000 + yy
}

// parseTimeText finds the first valid time of day in text (spec §4.3).
func parseTimeText(s string) (Time, bool) {
	for _, m := range timeRegexp.FindAllStringSubmatch(s, -1) {
		h, _ := strconv.Atoi(m[1])
		mi, sec, ns := 0, 0, 0
		if m[2] != "" {
			mi, _ = strconv.Atoi(m[2])
		}
		if m[3] != "" {
			sec, _ = strconv.Atoi(m[3])
		}
		if m[4] != "" {
			frac := m[4]
			if len(frac) > 9 {
				frac = frac[:9]
			}
			frac += strings.Repeat("0", 9-len(frac))
			ns, _ = strconv.Atoi(frac)
		}
		switch strings.ToLower(m[5]) {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		}
		if h == 24 && mi == 0 && sec == 0 && ns == 0 {
			h = 0
		}
		if h > 23 || mi > 59 || sec > 59 {
			continue
		}
		return NewTime(h, mi, sec, ns), true
	}
	return Time{}, false
}

// parseDateTimeText parses a datetime from text (spec §4.3). With fillTime, a text without a
// time gets the current time of day instead of midnight (date tests and field values).
func parseDateTimeText(env *Environment, s string, fillTime bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if isoDateTime.MatchString(s) {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
			if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil { // never the machine's Local zone
				return t, true
			}
		}
	}
	d, end, ok := findDate(env, s)
	if !ok {
		return time.Time{}, false
	}
	loc := env.location()
	rest := strings.TrimSpace(s)[end:]
	if tm, ok := parseTimeText(rest); ok {
		return tm.on(d.In(loc)), true
	}
	if fillTime {
		return TimeOf(env.Now()).on(d.In(loc)), true
	}
	return d.In(loc), true
}
