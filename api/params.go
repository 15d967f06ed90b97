package api

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayout is RapidPro's output format: UTC with microseconds and Z.
const dateLayout = "2006-01-02T15:04:05.000000Z"

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// dateOrNil formats an optional time; a missing one is JSON null.
func dateOrNil(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return formatDate(*t)
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool { return uuidRe.MatchString(s) }

func (c *call) param(name string) string { return strings.TrimSpace(c.r.URL.Query().Get(name)) }

// uuidParam reads an optional UUID filter, refusing a value that is not a UUID.
func (c *call) uuidParam(name string) (string, error) {
	v := c.param(name)
	if v != "" && !isUUID(v) {
		return "", errDetail(http.StatusBadRequest, "Param '"+name+"': "+v+" is not a valid UUID.")
	}
	return strings.ToLower(v), nil
}

// boolParam reads true/false (any case) and 1/0; anything else is false, as DRF's
// str_to_bool reads query parameters.
func (c *call) boolParam(name string) bool { return parseBool(c.param(name)) }

func parseBool(v string) bool {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// exclusive refuses a request naming more than one of params.
func (c *call) exclusive(params ...string) error {
	n := 0
	for _, p := range params {
		if c.param(p) != "" {
			n++
		}
	}
	if n > 1 {
		return errDetail(http.StatusBadRequest, "You may only specify one of the "+strings.Join(params, ", ")+" parameters")
	}
	return nil
}

// intParam reads an optional integer filter.
func (c *call) intParam(name string) (int64, error) {
	v := c.param(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errDetail(http.StatusBadRequest, "Value for "+name+" must be an integer")
	}
	return n, nil
}

// window is the before/after filter; both ends are inclusive. An unreadable date does not
// fail the request: as in RapidPro, it makes the result empty.
type window struct {
	after, before time.Time
	empty         bool
}

func (c *call) window() window {
	var w window
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"after", &w.after}, {"before", &w.before}} {
		v := c.param(p.name)
		if v == "" {
			continue
		}
		t, ok := parseISODate(v)
		if !ok {
			w.empty = true
			continue
		}
		*p.dst = t
	}
	return w
}

func (w window) has(t time.Time) bool {
	if w.empty {
		return false
	}
	if !w.after.IsZero() && t.Before(w.after) {
		return false
	}
	if !w.before.IsZero() && t.After(w.before) {
		return false
	}
	return true
}

// parseISODate reads the ISO 8601 forms clients send: a date, a date and time with or
// without seconds, fractions and offset (no offset is UTC).
func parseISODate(v string) (time.Time, bool) {
	v = strings.Replace(v, " ", "+", 1) // a "+" offset arrives as a space when not escaped
	if len(v) > 10 && v[10] == '+' {
		v = v[:10] + "T" + v[11:]
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
