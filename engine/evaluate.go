package engine

import (
	"strings"
	"sync"
	"time"

	"careflow/engine/event"
	"careflow/expr"
)

var zones sync.Map // name → *time.Location

func loadZone(name string) *time.Location {
	if name == "" {
		return nil
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.Store(name, l)
	return l
}

// ValidTimezone reports whether name is a known IANA zone.
func ValidTimezone(name string) bool { return loadZone(name) != nil }

// Env is the merged session environment (flows.md §9.2): the contact's timezone, language and
// country override the workspace's.
func (s *Session) Env() *expr.Environment {
	c := s.contact
	if s.envCache != nil && !s.envStale {
		return s.envCache
	}
	env := *s.baseEnv
	env.Clock = s.eng.Clock
	if env.Locations == nil {
		env.Locations = s.assets.ParsedLocations()
	}
	env.Random = s.eng.Random
	env.Prompts = s.eng.prompt
	if loc := loadZone(c.Timezone); loc != nil {
		env.Timezone = loc
	}
	if c.Language != "" && contains(s.baseEnv.AllowedLanguages, c.Language) {
		env.DefaultLanguage = c.Language
	}
	if country := s.contactCountry(); country != "" {
		env.DefaultCountry = country
	}
	// recompute in place so contexts built on this environment stay valid (their items are
	// rebuilt by their own generation counters when the contact changed)
	if s.envCache != nil {
		*s.envCache = env
	} else {
		s.envCache = &env
	}
	s.envStale = false
	return &env
}

// contactCountry is the country of the contact's preferred channel (the one a message would go
// through), else that of its first tel URN whose number belongs to a country, as the
// reference's Contact.Country.
func (s *Session) contactCountry() string {
	if ch := s.preferredChannel(s.contact); ch != nil && ch.Country != "" {
		return ch.Country
	}
	for _, u := range s.contact.URNs {
		if u.Scheme == "tel" {
			if country := u.Country(); country != "" {
				return country
			}
		}
	}
	return ""
}

// DefaultLanguage is the environment's default language (first allowed language).
func (s *Session) defaultLanguage() string {
	if s.baseEnv.DefaultLanguage != "" {
		return s.baseEnv.DefaultLanguage
	}
	if len(s.baseEnv.AllowedLanguages) > 0 {
		return s.baseEnv.AllowedLanguages[0]
	}
	return ""
}

// EvaluateText evaluates a template to text, logging expression errors and deprecation
// warnings as events, and truncating to the engine's template limit. ok is false when an
// expression failed.
func (r *Run) EvaluateText(tpl string) (string, bool) {
	return r.evaluate(tpl, nil, true)
}

// EvaluateTextEscaped is EvaluateText with an escaper applied to expression results.
func (r *Run) EvaluateTextEscaped(tpl string, escape expr.Escaper) (string, bool) {
	return r.evaluate(tpl, escape, true)
}

// EvaluateTextFull evaluates without truncation (webhook bodies).
func (r *Run) EvaluateTextFull(tpl string, escape expr.Escaper) (string, bool) {
	return r.evaluate(tpl, escape, false)
}

func (r *Run) evaluate(tpl string, escape expr.Escaper, truncate bool) (string, bool) {
	if !strings.ContainsRune(tpl, '@') {
		if truncate {
			return r.session.truncate(tpl), true
		}
		return tpl, true
	}
	out, diag := expr.EvaluateTemplate(r.session.Env(), r.Context(), tpl, escape)
	ok := r.logDiagnostics(diag)
	if truncate {
		out = r.session.truncate(out)
	}
	return out, ok
}

// EvaluateValue evaluates a template as a value (operands, arguments).
func (r *Run) EvaluateValue(tpl string) (expr.Value, bool) {
	if !strings.ContainsRune(tpl, '@') {
		return expr.Text(tpl), true
	}
	// the operand of nearly every wait router: no need to parse it
	if tpl == "@input.text" && r.session.Input != nil {
		return expr.Text(r.session.Input.Text), true
	}
	v, diag := expr.EvaluateTemplateValue(r.session.Env(), r.Context(), tpl)
	return v, r.logDiagnostics(diag)
}

func (r *Run) logDiagnostics(diag expr.Diagnostics) bool {
	for _, w := range diag.Warnings {
		r.session.Log(event.NewWarning(w, "context:deprecated", nil))
	}
	for _, e := range diag.Errors {
		code := "expression"
		if e.TooComplex {
			code = "expression:too_complex"
		}
		r.session.Log(event.NewError("Error evaluating expression: "+e.Message, code, map[string]string{"expression": e.Expression}))
	}
	return len(diag.Errors) == 0
}

func (s *Session) truncate(text string) string {
	return TruncateEllipsis(text, s.eng.MaxTemplateChars)
}

// TruncateEllipsis shortens text to n characters, ending it with "..." when cut.
func TruncateEllipsis(text string, n int) string {
	if len(text) <= n {
		return text
	}
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	return string(runes[:n-3]) + "..."
}

// Truncate shortens text to n characters.
func Truncate(text string, n int) string {
	if len(text) <= n {
		return text
	}
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	return string(runes[:n])
}
