package modifier

import (
	"encoding/json"
	"regexp"
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"

	"github.com/shopspring/decimal"
)

// TypeField sets or clears a contact field from text.
const TypeField = "field"

// Field sets a contact field from text ("" clears it); the text is parsed into every typed
// interpretation (flows.md §9.1.2).
type Field struct {
	Field *flow.FieldRef `json:"field"`
	Value string         `json:"value"`
}

// Type is the wire name.
func (m *Field) Type() string { return TypeField }

var plainNumber = regexp.MustCompile(`^[-+]?(\d+(\.\d*)?|\.\d+)$`)

// ParseFieldValue computes the typed interpretations of a text value.
func ParseFieldValue(env *expr.Environment, text string) *engine.FieldValue {
	v := &engine.FieldValue{Text: text}
	t := strings.TrimSpace(text)
	if plainNumber.MatchString(t) {
		if d, err := decimal.NewFromString(strings.TrimPrefix(t, "+")); err == nil {
			v.Number = &d
		}
	}
	if env.Locations != nil {
		parseLocations(env, t, v)
	}
	// every value is tried as a datetime, filling in the current time of day when it has none,
	// as the reference does (which also reads the clock for the current year on each try)
	if dt, ok := expr.ParseDateTimeText(env, t); ok {
		tm := dt.Time()
		v.Datetime = &tm
	}
	return v
}

// Apply sets the field.
func (m *Field) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	key := m.Field.Key
	f := e.Assets.Field(key)
	ref := m.Field
	if f != nil {
		ref = f.Ref()
	}
	old := c.Fields[key]
	text := strings.TrimSpace(m.Value)
	if text == "" {
		if old == nil {
			return false
		}
		delete(c.Fields, key)
		log(event.NewContactFieldChanged(ref, nil))
		return true
	}
	text = engine.Truncate(text, e.Engine.MaxFieldChars)
	nv := ParseFieldValue(e.Env, text)
	if old.Equal(nv) {
		return false
	}
	c.Fields[key] = nv
	b, _ := json.Marshal(nv)
	log(event.NewContactFieldChanged(ref, b))
	return true
}

func init() { register(TypeField, func() engine.Modifier { return &Field{} }) }

// parseLocations fills the location interpretations of a field value using the location
// router tests: a state, a district (within that state, or unique) and a ward.
func parseLocations(env *expr.Environment, text string, v *engine.FieldValue) {
	test := func(name string, args ...expr.Value) string {
		res, err := expr.CallTest(env, name, append([]expr.Value{expr.Text(text)}, args...))
		if err != nil || !res.Matched || res.Match == nil {
			return ""
		}
		s, _ := expr.ToText(env, res.Match)
		return s
	}
	parent := func(path string) string {
		if i := strings.LastIndex(path, " > "); i >= 0 {
			return path[:i]
		}
		return ""
	}
	v.State = test("has_state")
	if v.State != "" {
		v.District = test("has_district", expr.Text(v.State))
	} else {
		v.District = test("has_district")
	}
	if v.District != "" {
		v.Ward = test("has_ward", expr.Text(parent(v.District)), expr.Text(v.District))
	} else {
		v.Ward = test("has_ward")
	}
	if v.Ward != "" && v.District == "" {
		v.District = parent(v.Ward)
	}
	if v.District != "" && v.State == "" {
		v.State = parent(v.District)
	}
}
