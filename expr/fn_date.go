package expr

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

func init() {
	registerFuncs([]builtin{
		{FunctionInfo{Name: "now", Signature: "now()", Summary: "Returns the current datetime in the environment's timezone.", Example: `@(now())`}, 0, 0, fnNow},
		{FunctionInfo{Name: "today", Signature: "today()", Summary: "Returns the current date in the environment's timezone.", Example: `@(today())`}, 0, 0, fnToday},
		{FunctionInfo{Name: "parse_datetime", Signature: "parse_datetime(text, layout [, timezone])", Summary: "Parses text strictly with a layout, in the given or the environment's timezone.", Example: `@(parse_datetime("2020-01-02", "YYYY-MM-DD"))` + " → `2020-01-02T00:00:00.000000Z`"}, 2, 3, fnParseDateTime},
		{FunctionInfo{Name: "parse_time", Signature: "parse_time(text, layout)", Summary: "Parses a time of day strictly with a layout.", Example: `@(parse_time("15:28", "tt:mm"))` + " → `15:28:00.000000`"}, 2, 2, fnParseTime},
		{FunctionInfo{Name: "datetime_from_epoch", Signature: "datetime_from_epoch(seconds)", Summary: "Converts Unix seconds to a datetime.", Example: `@(datetime_from_epoch(0))` + " → `1970-01-01T00:00:00.000000Z`"}, 1, 1, fnDateTimeFromEpoch},
		{FunctionInfo{Name: "epoch", Signature: "epoch(datetime)", Summary: "Converts a datetime to Unix seconds.", Example: `@(epoch("1970-01-02T00:00:00Z"))` + " → `86400`"}, 1, 1, fnEpoch},
		{FunctionInfo{Name: "datetime_diff", Signature: "datetime_diff(date1, date2, unit)", Summary: "Returns date2 - date1 in a unit (s, m, h, D, W, M, Y).", Example: `@(datetime_diff("2020-01-01", "2020-01-08", "D"))` + " → `7`"}, 3, 3, fnDateTimeDiff},
		{FunctionInfo{Name: "datetime_add", Signature: "datetime_add(datetime, offset, unit)", Summary: "Adds offset units (s, m, h, D, W, M, Y) to a datetime.", Example: `@(datetime_add("2020-01-01T10:00:00Z", 2, "D"))` + " → `2020-01-03T10:00:00.000000Z`"}, 3, 3, fnDateTimeAdd},
		{FunctionInfo{Name: "replace_time", Signature: "replace_time(datetime, time)", Summary: "Replaces the time of day of a datetime.", Example: `@(replace_time("2020-01-01T10:00:00Z", "15:30"))` + " → `2020-01-01T15:30:00.000000Z`"}, 2, 2, fnReplaceTime},
		{FunctionInfo{Name: "tz", Signature: "tz(datetime)", Summary: "Returns the name of the datetime's timezone.", Example: `@(tz("2020-01-01"))` + " → `UTC`"}, 1, 1, fnTZ},
		{FunctionInfo{Name: "tz_offset", Signature: "tz_offset(datetime)", Summary: "Returns the datetime's offset as +HHMM.", Example: `@(tz_offset("2020-01-01T10:00:00+05:30"))` + " → `+0530`"}, 1, 1, fnTZOffset},
		{FunctionInfo{Name: "date_from_parts", Signature: "date_from_parts(year, month, day)", Summary: "Builds a date; day overflow rolls into the next month.", Example: `@(date_from_parts(2020, 2, 30))` + " → `2020-03-01`"}, 3, 3, fnDateFromParts},
		{FunctionInfo{Name: "weekday", Signature: "weekday(date)", Summary: "Returns the day of the week, 0 for Sunday.", Example: `@(weekday("2020-01-05"))` + " → `0`"}, 1, 1, fnWeekday},
		{FunctionInfo{Name: "week_number", Signature: "week_number(date)", Summary: "Returns the week of the year (weeks start on Sunday).", Example: `@(week_number("2020-01-05"))` + " → `2`"}, 1, 1, fnWeekNumber},
		{FunctionInfo{Name: "time_from_parts", Signature: "time_from_parts(hour, minute, second)", Summary: "Builds a time of day.", Example: `@(time_from_parts(13, 5, 0))` + " → `13:05:00.000000`"}, 3, 3, fnTimeFromParts},
	})
}

// fnNow returns the injected clock's time in the environment's zone.
func fnNow(env *Environment, args []Value) Value { return DateTime{t: env.Now()} }

// fnToday returns today's date in the environment's zone.
func fnToday(env *Environment, args []Value) Value { return DateOf(env.Now()) }

func loadZone(name string) (*time.Location, *Error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || strings.EqualFold(name, "local") {
		return nil, Errorf("unknown time zone %s", name)
	}
	return loc, nil
}

// fnParseDateTime parses a datetime with a layout.
func fnParseDateTime(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	loc := env.location()
	if len(ts) > 2 {
		if loc, err = loadZone(ts[2]); err != nil {
			return err
		}
	}
	t, err := parseWithLayout(ts[0], ts[1], datetimeLayout, loc)
	if err != nil {
		return err
	}
	if len(ts) > 2 {
		t = t.In(loc) // a parsed offset is shown in the requested zone
	}
	return DateTime{t: t}
}

// fnParseTime parses a time of day with a layout.
func fnParseTime(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	t, err := parseWithLayout(ts[0], ts[1], timeLayout, time.UTC)
	if err != nil {
		return err
	}
	return TimeOf(t)
}

var billion = decimal.NewFromInt(1e9)

// fnDateTimeFromEpoch converts Unix seconds (fractions allowed) to a datetime.
func fnDateTimeFromEpoch(env *Environment, args []Value) Value {
	d, err := ToNumber(env, args[0])
	if err != nil {
		return err
	}
	ns := d.Mul(billion).Truncate(0)
	if ns.Abs().GreaterThan(decimal.NewFromInt(1 << 62)) {
		return errNumberRange
	}
	return DateTime{t: time.Unix(0, ns.IntPart()).In(env.location())}
}

// fnEpoch converts a datetime to Unix seconds.
func fnEpoch(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	// seconds and nanoseconds separately: UnixNano overflows outside 1678-2262
	secs := decimal.NewFromInt(dt.t.Unix())
	return Number{d: secs.Add(decimal.NewFromInt(int64(dt.t.Nanosecond())).Div(billion))}
}

func unknownUnit(u string) *Error {
	return Errorf("unknown unit: XText(%q), must be one of s, m, h, D, W, M, Y", u)
}

// fnDateTimeDiff returns the difference between two datetimes in a unit.
func fnDateTimeDiff(env *Environment, args []Value) Value {
	d1, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	d2, err := ToDateTime(env, args[1])
	if err != nil {
		return err
	}
	unit, err := ToText(env, args[2])
	if err != nil {
		return err
	}
	loc := env.location()
	a, b := d1.t.In(loc), d2.t.In(loc)
	days := func() int64 {
		da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
		db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
		return int64(db.Sub(da).Hours() / 24)
	}
	var n int64
	switch unit {
	case "s":
		n = int64(d2.t.Sub(d1.t) / time.Second)
	case "m":
		n = int64(d2.t.Sub(d1.t) / time.Minute)
	case "h":
		n = int64(d2.t.Sub(d1.t) / time.Hour)
	case "D":
		n = days()
	case "W":
		n = days() / 7
	case "M":
		n = int64(b.Month()-a.Month()) + 12*int64(b.Year()-a.Year())
	case "Y":
		n = int64(b.Year() - a.Year())
	default:
		return unknownUnit(unit)
	}
	return NumberFromInt(n)
}

// fnDateTimeAdd adds a whole number of units to a datetime.
func fnDateTimeAdd(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	n, err := ToInteger(env, args[1])
	if err != nil {
		return err
	}
	unit, err := ToText(env, args[2])
	if err != nil {
		return err
	}
	t := dt.t
	switch unit {
	case "s":
		t = t.Add(time.Duration(n) * time.Second)
	case "m":
		t = t.Add(time.Duration(n) * time.Minute)
	case "h":
		t = t.Add(time.Duration(n) * time.Hour)
	case "D":
		t = t.AddDate(0, 0, n)
	case "W":
		t = t.AddDate(0, 0, 7*n)
	case "M":
		t = t.AddDate(0, n, 0)
	case "Y":
		t = t.AddDate(n, 0, 0)
	default:
		return unknownUnit(unit)
	}
	return DateTime{t: t}
}

// fnReplaceTime sets the time of day of a datetime.
func fnReplaceTime(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	tm, err := ToTime(env, args[1])
	if err != nil {
		return err
	}
	return DateTime{t: tm.on(dt.t)}
}

// fnTZ returns the zone name of a datetime.
func fnTZ(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	return Text(dt.t.Location().String())
}

// fnTZOffset returns the offset of a datetime as +HHMM.
func fnTZOffset(env *Environment, args []Value) Value {
	dt, err := ToDateTime(env, args[0])
	if err != nil {
		return err
	}
	return Text(dt.t.Format("-0700"))
}

// fnDateFromParts builds a date, normalising day overflow.
func fnDateFromParts(env *Environment, args []Value) Value {
	var parts [3]int
	for i := range parts {
		n, err := ToInteger(env, args[i])
		if err != nil {
			return err
		}
		parts[i] = n
	}
	if parts[1] < 1 || parts[1] > 12 {
		return NewError("invalid value for month, must be 1-12")
	}
	return NewDate(parts[0], time.Month(parts[1]), parts[2])
}

// fnWeekday returns the day of the week, Sunday = 0.
func fnWeekday(env *Environment, args []Value) Value {
	d, err := ToDate(env, args[0])
	if err != nil {
		return err
	}
	return NumberFromInt(int64(d.t.Weekday()))
}

// fnWeekNumber returns the Sunday-based week of the year.
func fnWeekNumber(env *Environment, args []Value) Value {
	d, err := ToDate(env, args[0])
	if err != nil {
		return err
	}
	jan1 := NewDate(d.Year(), time.January, 1)
	offset := int(jan1.t.Weekday())
	return NumberFromInt(int64((d.t.YearDay()-1+offset)/7 + 1))
}

// fnTimeFromParts builds a time of day with range checks.
func fnTimeFromParts(env *Environment, args []Value) Value {
	names := []string{"hour", "minute", "second"}
	limits := []int{23, 59, 59}
	var parts [3]int
	for i := range parts {
		n, err := ToInteger(env, args[i])
		if err != nil {
			return err
		}
		if n < 0 || n > limits[i] {
			return NewError(fmt.Sprintf("invalid value for %s, must be 0-%d", names[i], limits[i]))
		}
		parts[i] = n
	}
	return NewTime(parts[0], parts[1], parts[2], 0)
}
