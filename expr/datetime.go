package expr

import (
	"fmt"
	"time"
)

// Date is a calendar date without time of day or zone.
type Date struct{ t time.Time } // midnight UTC of the date

// NewDate returns the date y-m-d, normalising overflow like time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// Type returns TypeDate.
func (d Date) Type() Type { return TypeDate }

// Describe returns "date".
func (d Date) Describe() string { return "date" }

// String renders YYYY-MM-DD.
func (d Date) String() string { return d.t.Format("2006-01-02") }

// IsZero reports whether this is the zero date (year 1, January 1).
func (d Date) IsZero() bool { return d.t.IsZero() }

// Year returns the year of the date.
func (d Date) Year() int { return d.t.Year() }

// Month returns the month of the date.
func (d Date) Month() time.Month { return d.t.Month() }

// Day returns the day of the month.
func (d Date) Day() int { return d.t.Day() }

// In returns midnight of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// DateTime is an instant with a zone.
type DateTime struct{ t time.Time }

// NewDateTime wraps t.
func NewDateTime(t time.Time) DateTime { return DateTime{t: t} }

// Time returns the wrapped time.
func (d DateTime) Time() time.Time { return d.t }

// Type returns TypeDateTime.
func (d DateTime) Type() Type { return TypeDateTime }

// Describe returns "datetime".
func (d DateTime) Describe() string { return "datetime" }

// String renders ISO 8601 with microseconds and offset (Z for UTC), as the reference does.
func (d DateTime) String() string { return d.t.Format("2006-01-02T15:04:05.000000Z07:00") }

// Time is a time of day with nanosecond precision.
type Time struct{ ns int64 }

// NewTime returns the time of day h:m:s.ns; parts must already be in range.
func NewTime(h, m, s, ns int) Time {
	return Time{ns: int64(h)*int64(time.Hour) + int64(m)*int64(time.Minute) + int64(s)*int64(time.Second) + int64(ns)}
}

// TimeOf returns the time of day of t in t's own location.
func TimeOf(t time.Time) Time { return NewTime(t.Hour(), t.Minute(), t.Second(), t.Nanosecond()) }

// Hour returns the hour 0-23.
func (t Time) Hour() int { return int(t.ns / int64(time.Hour)) }

// Minute returns the minute 0-59.
func (t Time) Minute() int { return int(t.ns / int64(time.Minute) % 60) }

// Second returns the second 0-59.
func (t Time) Second() int { return int(t.ns / int64(time.Second) % 60) }

// Nanosecond returns the fraction of the second in nanoseconds.
func (t Time) Nanosecond() int { return int(t.ns % int64(time.Second)) }

// Type returns TypeTime.
func (t Time) Type() Type { return TypeTime }

// Describe returns "time".
func (t Time) Describe() string { return "time" }

// String renders HH:MM:SS.ffffff.
func (t Time) String() string {
	return fmt.Sprintf("%02d:%02d:%02d.%06d", t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
}

// on returns the time of day applied to the date of day, in day's location.
func (t Time) on(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), day.Location())
}
