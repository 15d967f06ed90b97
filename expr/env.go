package expr

import (
	"encoding/json"
	"fmt"
	"time"
)

// Clock supplies the current time; the engine injects it so evaluation is reproducible.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// Random supplies random numbers for rand() and rand_between(); the engine injects it.
type Random interface {
	// Float64 returns a number in [0, 1).
	Float64() float64
	// IntN returns an integer in [0, n); n > 0.
	IntN(n int) int
}

// NumberFormat gives the symbols used to format and find numbers.
type NumberFormat struct {
	DecimalSymbol       string `json:"decimal_symbol"`
	DigitGroupingSymbol string `json:"digit_grouping_symbol"`
}

// Redaction policies (flows.md §9.2).
const (
	RedactionNone = "none"
	RedactionURNs = "urns"
)

// Input collations used by the word tests (flows.md §4).
const (
	CollationDefault        = "default"
	CollationConfusables    = "confusables"
	CollationArabicVariants = "arabic_variants"
)

// Environment is everything evaluation depends on besides the context: formats, zone,
// country, redaction and the injected clock, randomness and LLM prompts. Build one with
// ParseEnvironment (from the session's environment JSON) or NewEnvironment, then set Clock and
// Random. The zero value of each optional field means the flows.md §9.2 default.
type Environment struct {
	DateFormat       string // YYYY-MM-DD, MM-DD-YYYY or DD-MM-YYYY
	TimeFormat       string // tt:mm, h:mm aa, tt:mm:ss, h:mm:ss aa
	Timezone         *time.Location
	NumberFormat     NumberFormat
	DefaultCountry   string // ISO 3166-1 alpha-2, or ""
	DefaultLanguage  string // ISO 639-3, or "" (first allowed language by default)
	AllowedLanguages []string
	RedactionPolicy  string // RedactionNone or RedactionURNs
	InputCollation   string // CollationDefault, CollationConfusables or CollationArabicVariants
	// MaxValueLength bounds text built by functions such as repeat (default 10000).
	MaxValueLength int
	// Budget is the per-expression complexity budget (default 10,000,000, spec §3).
	Budget int
	// Clock is the source of now(); when nil, now() is the zero time (the engine always sets it).
	Clock Clock
	// Random is the source for rand() and rand_between(); when nil they return 0 / min.
	Random Random
	// Locations is the location hierarchy for has_state, has_district and has_ward; nil means
	// the flow is not location enabled and those tests return an error.
	Locations *Locations
	// Prompts resolves LLM prompt names for prompt() to Go text/template sources that use
	// {{ .arg1 }}, {{ .arg2 }}...; nil means none are configured.
	Prompts func(name string) (string, bool)
}

// NewEnvironment returns the default environment with the given clock.
func NewEnvironment(clock Clock) *Environment {
	return &Environment{
		DateFormat: "YYYY-MM-DD", TimeFormat: "tt:mm", Timezone: time.UTC,
		NumberFormat:    NumberFormat{DecimalSymbol: ".", DigitGroupingSymbol: ","},
		RedactionPolicy: RedactionNone, InputCollation: CollationDefault,
		MaxValueLength: 10000, Budget: 10_000_000, Clock: clock,
	}
}

// envJSON is the wire form of an environment (flows.md §9.2).
type envJSON struct {
	DateFormat       string        `json:"date_format"`
	TimeFormat       string        `json:"time_format"`
	Timezone         string        `json:"timezone"`
	AllowedLanguages []string      `json:"allowed_languages"`
	DefaultCountry   string        `json:"default_country"`
	DefaultLanguage  string        `json:"default_language"`
	NumberFormat     *NumberFormat `json:"number_format"`
	RedactionPolicy  string        `json:"redaction_policy"`
	InputCollation   string        `json:"input_collation"`
	MaxValueLength   int           `json:"max_value_length"`
}

// ParseEnvironment reads an environment JSON object (null or {} give the defaults). The clock
// and randomness are not part of the JSON; set them on the result.
func ParseEnvironment(data []byte, clock Clock) (*Environment, error) {
	env := NewEnvironment(clock)
	var j envJSON
	if len(data) > 0 && string(data) != "null" {
		if err := json.Unmarshal(data, &j); err != nil {
			return nil, fmt.Errorf("parse environment: %w", err)
		}
	}
	if j.DateFormat != "" {
		env.DateFormat = j.DateFormat
	}
	if j.TimeFormat != "" {
		env.TimeFormat = j.TimeFormat
	}
	if j.Timezone != "" {
		loc, zerr := loadZone(j.Timezone)
		if zerr != nil {
			return nil, fmt.Errorf("parse environment: %w", zerr)
		}
		env.Timezone = loc
	}
	env.AllowedLanguages = j.AllowedLanguages
	env.DefaultCountry = j.DefaultCountry
	env.DefaultLanguage = j.DefaultLanguage
	if env.DefaultLanguage == "" && len(j.AllowedLanguages) > 0 {
		env.DefaultLanguage = j.AllowedLanguages[0]
	}
	if j.NumberFormat != nil {
		env.NumberFormat = *j.NumberFormat
	}
	if j.RedactionPolicy != "" {
		env.RedactionPolicy = j.RedactionPolicy
	}
	if j.InputCollation != "" {
		env.InputCollation = j.InputCollation
	}
	if j.MaxValueLength > 0 {
		env.MaxValueLength = j.MaxValueLength
	}
	return env, nil
}

// Now returns the current time in the environment's timezone.
func (e *Environment) Now() time.Time {
	var t time.Time
	if e.Clock != nil {
		t = e.Clock.Now()
	}
	return t.In(e.location())
}

func (e *Environment) location() *time.Location {
	if e.Timezone == nil {
		return time.UTC
	}
	return e.Timezone
}

func (e *Environment) maxValueLength() int {
	if e.MaxValueLength <= 0 {
		return 10000
	}
	return e.MaxValueLength
}

func (e *Environment) budget() int {
	if e.Budget <= 0 {
		return 10_000_000
	}
	return e.Budget
}

func (e *Environment) dateFormat() string {
	if e.DateFormat == "" {
		return "YYYY-MM-DD"
	}
	return e.DateFormat
}

func (e *Environment) timeFormat() string {
	if e.TimeFormat == "" {
		return "tt:mm"
	}
	return e.TimeFormat
}

func (e *Environment) decimalSymbol() string {
	if e.NumberFormat.DecimalSymbol == "" {
		return "."
	}
	return e.NumberFormat.DecimalSymbol
}

func (e *Environment) groupingSymbol() string {
	if e.NumberFormat.DigitGroupingSymbol == "" && e.NumberFormat.DecimalSymbol == "" {
		return ","
	}
	return e.NumberFormat.DigitGroupingSymbol
}
