package expr

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// layoutKind says which sequences a layout may use.
type layoutKind string

const (
	dateLayout     layoutKind = "date"
	timeLayout     layoutKind = "time"
	datetimeLayout layoutKind = "datetime"
)

// layoutToken is one sequence of a layout: a run of a layout letter, or literal text.
type layoutToken struct {
	seq     string
	literal bool
}

var layoutLengths = map[byte][]int{
	'Y': {2, 4}, 'M': {1, 2, 3, 4}, 'D': {1, 2}, 'E': {3, 4},
	'h': {1, 2}, 't': {1, 2}, 'm': {1, 2}, 's': {1, 2}, 'f': {3, 6, 9},
	'a': {2}, 'A': {2}, 'Z': {1, 3},
}

const layoutLiterals = " :/.,T-_"

// parseLayout splits a layout (spec §4.4) into tokens, checking that every sequence is valid
// for the kind; mode ("formatting" or "parsing") only shapes the error message.
func parseLayout(layout string, kind layoutKind, mode string) ([]layoutToken, *Error) {
	var toks []layoutToken
	for i := 0; i < len(layout); {
		c := layout[i]
		if strings.IndexByte(layoutLiterals, c) >= 0 {
			toks = append(toks, layoutToken{seq: string(c), literal: true})
			i++
			continue
		}
		lengths, known := layoutLengths[c]
		j := i
		for j < len(layout) && layout[j] == c {
			j++
		}
		seq := layout[i:j]
		if !known {
			_, size := firstRune(layout[i:])
			seq = layout[i : i+size]
			return nil, Errorf("'%s' is not valid in a %s %s layout", seq, kind, mode)
		}
		okLen := false
		for _, l := range lengths {
			okLen = okLen || l == len(seq)
		}
		if !okLen || !seqAllowed(c, kind) {
			return nil, Errorf("'%s' is not valid in a %s %s layout", seq, kind, mode)
		}
		toks = append(toks, layoutToken{seq: seq})
		i = j
	}
	return toks, nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

func seqAllowed(c byte, kind layoutKind) bool {
	isDate := strings.IndexByte("YMDE", c) >= 0
	switch kind {
	case dateLayout:
		return isDate
	case timeLayout:
		return !isDate && c != 'Z'
	}
	return true
}

// formatLayout formats t (in its own location) with a parsed layout; month and weekday names
// are in lang (ISO 639-3, English when unknown).
func formatLayout(t time.Time, toks []layoutToken, lang string) string {
	var sb strings.Builder
	for _, tok := range toks {
		if tok.literal {
			sb.WriteString(tok.seq)
			continue
		}
		switch tok.seq {
		case "YYYY":
			fmt.Fprintf(&sb, "%04d", t.Year())
		case "YY":
			fmt.Fprintf(&sb, "%02d", t.Year()%100)
		case "M":
			fmt.Fprintf(&sb, "%d", t.Month())
		case "MM":
			fmt.Fprintf(&sb, "%02d", t.Month())
		case "MMM", "MMMM":
			sb.WriteString(monthName(lang, t.Month(), tok.seq == "MMMM"))
		case "D":
			fmt.Fprintf(&sb, "%d", t.Day())
		case "DD":
			fmt.Fprintf(&sb, "%02d", t.Day())
		case "EEE", "EEEE":
			sb.WriteString(weekdayName(lang, t.Weekday(), tok.seq == "EEEE"))
		case "h", "hh":
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			if tok.seq == "h" {
				fmt.Fprintf(&sb, "%d", h)
			} else {
				fmt.Fprintf(&sb, "%02d", h)
			}
		case "t":
			fmt.Fprintf(&sb, "%d", t.Hour())
		case "tt":
			fmt.Fprintf(&sb, "%02d", t.Hour())
		case "m":
			fmt.Fprintf(&sb, "%d", t.Minute())
		case "mm":
			fmt.Fprintf(&sb, "%02d", t.Minute())
		case "s":
			fmt.Fprintf(&sb, "%d", t.Second())
		case "ss":
			fmt.Fprintf(&sb, "%02d", t.Second())
		case "fff":
			fmt.Fprintf(&sb, "%03d", t.Nanosecond()/1e6)
		case "ffffff":
			fmt.Fprintf(&sb, "%06d", t.Nanosecond()/1e3)
		case "fffffffff":
			fmt.Fprintf(&sb, "%09d", t.Nanosecond())
		case "aa", "AA":
			ampm := "am"
			if t.Hour() >= 12 {
				ampm = "pm"
			}
			if tok.seq == "AA" {
				ampm = strings.ToUpper(ampm)
			}
			sb.WriteString(ampm)
		case "Z":
			sb.WriteString(t.Format("Z07:00"))
		case "ZZZ":
			sb.WriteString(t.Format("-07:00"))
		}
	}
	return sb.String()
}

var goLayoutSeqs = map[string]string{
	"YYYY": "2006", "YY": "06", "M": "1", "MM": "01", "MMM": "Jan", "MMMM": "January",
	"D": "2", "DD": "02", "EEE": "Mon", "EEEE": "Monday", "h": "3", "hh": "03", "t": "15", "tt": "15",
	"m": "4", "mm": "04", "s": "5", "ss": "05", "aa": "pm", "AA": "PM", "Z": "Z07:00", "ZZZ": "-07:00",
}

// goLayout converts parsed tokens to a Go time layout for strict parsing.
func goLayout(toks []layoutToken) string {
	var sb strings.Builder
	for _, tok := range toks {
		switch {
		case tok.literal:
			sb.WriteString(tok.seq)
		case tok.seq[0] == 'f':
			s := sb.String()
			if !strings.HasSuffix(s, ".") {
				sb.WriteString(".")
			}
			sb.WriteString(strings.Repeat("0", len(tok.seq)))
		default:
			sb.WriteString(goLayoutSeqs[tok.seq])
		}
	}
	return sb.String()
}

// parseWithLayout parses s strictly with a layout in loc.
func parseWithLayout(s, layout string, kind layoutKind, loc *time.Location) (time.Time, *Error) {
	toks, err := parseLayout(layout, kind, "parsing")
	if err != nil {
		return time.Time{}, err
	}
	t, perr := time.ParseInLocation(goLayout(toks), s, loc)
	if perr != nil {
		var pe *time.ParseError
		if errors.As(perr, &pe) {
			if pe.Message != "" {
				return time.Time{}, NewError(strings.TrimPrefix(pe.Message, ": "))
			}
			return time.Time{}, Errorf("cannot parse '%s' as '%s'", pe.ValueElem, pe.LayoutElem)
		}
		return time.Time{}, NewError(perr.Error())
	}
	return t, nil
}
