package legacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The legacy definition as stored by old RapidPro versions.

type legacyFlow struct {
	BaseLanguage string      `json:"base_language"`
	FlowType     string      `json:"flow_type"`
	RuleSets     []ruleSet   `json:"rule_sets"`
	ActionSets   []actionSet `json:"action_sets"`
	Entry        string      `json:"entry"`
	Metadata     metadata    `json:"metadata"`
	UUID         string      `json:"uuid"`
	Name         string      `json:"name"`
}

type metadata struct {
	UUID     string `json:"uuid"`
	Name     string `json:"name"`
	Revision int    `json:"revision"`
	Expires  int    `json:"expires"`
	Notes    []note `json:"notes"`
}

type note struct {
	X     jsonNumber `json:"x"`
	Y     jsonNumber `json:"y"`
	Title string     `json:"title"`
	Body  string     `json:"body"`
}

type actionSet struct {
	X           int      `json:"x"`
	Y           int      `json:"y"`
	UUID        string   `json:"uuid"`
	Destination string   `json:"destination"`
	ExitUUID    string   `json:"exit_uuid"`
	Actions     []action `json:"actions"`
}

type ruleSet struct {
	X           int             `json:"x"`
	Y           int             `json:"y"`
	UUID        string          `json:"uuid"`
	Type        string          `json:"ruleset_type"`
	Label       string          `json:"label"`
	Operand     string          `json:"operand"`
	Rules       []rule          `json:"rules"`
	Config      json.RawMessage `json:"config"`
	FinishedKey string          `json:"finished_key"`
}

type rule struct {
	UUID        string          `json:"uuid"`
	Destination string          `json:"destination"`
	Test        json.RawMessage `json:"test"`
	Category    translations    `json:"category"`
}

// testType returns the type of the rule's test.
func (r rule) testType() string {
	var t struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(r.Test, &t)
	return t.Type
}

type action struct {
	Type         string          `json:"type"`
	UUID         string          `json:"uuid"`
	Name         string          `json:"name"`
	Msg          json.RawMessage `json:"msg"`
	Media        json.RawMessage `json:"media"`
	QuickReplies json.RawMessage `json:"quick_replies"`
	SendAll      bool            `json:"send_all"`
	Contacts     []contactRef    `json:"contacts"`
	Groups       []groupRef      `json:"groups"`
	Variables    []struct {
		ID string `json:"id"`
	} `json:"variables"`
	Field     string          `json:"field"`
	Value     string          `json:"value"`
	Label     string          `json:"label"`
	Language  string          `json:"lang"`
	Labels    []groupRef      `json:"labels"`
	Flow      flowRef         `json:"flow"`
	Channel   string          `json:"channel"`
	Emails    []string        `json:"emails"`
	Subject   string          `json:"subject"`
	Recording json.RawMessage `json:"recording"`
	URL       string          `json:"url"`
}

type contactRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type flowRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// groupRef is a group or label: an object {uuid, name}, or a plain string naming it (which
// may be an expression resolved at run time).
type groupRef struct {
	UUID string
	Name string
}

func (g *groupRef) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		g.Name = s
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	g.UUID, _ = m["uuid"].(string)
	g.Name, _ = m["name"].(string)
	return nil
}

// translations is a legacy localized text: {lang: text}, or a plain string (stored as "base").
type translations map[string]string

func (t *translations) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		*t = translations{"base": s}
		return nil
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*t = m
	return nil
}

// base returns the text in the base language, falling back to the "base" key.
func (t translations) base(lang string) string {
	if v, ok := t[lang]; ok {
		return v
	}
	return t["base"]
}

func readTranslations(raw json.RawMessage) (translations, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var t translations
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	return t, nil
}

// jsonNumber accepts any JSON number (notes have fractional positions).
type jsonNumber float64

func (n jsonNumber) intPart() int { return int(n) }

// stringOrNumber accepts "5" or 5 (numeric test values).
type stringOrNumber string

func (s *stringOrNumber) UnmarshalJSON(data []byte) error {
	if len(data) == 0 {
		return nil
	}
	switch c := data[0]; {
	case c == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = stringOrNumber(v)
	case c >= '0' && c <= '9' || c == '-':
		*s = stringOrNumber(data)
	default:
		return fmt.Errorf("expected string or number, not %s", string(c))
	}
	return nil
}

// check applies the few structural requirements the legacy reader had.
func (f *legacyFlow) check() error {
	var problems []string
	for i, as := range f.ActionSets {
		if as.UUID == "" {
			problems = append(problems, fmt.Sprintf("field 'action_sets[%d].uuid' is required", i))
		}
		if as.ExitUUID == "" {
			problems = append(problems, fmt.Sprintf("field 'action_sets[%d].exit_uuid' is required", i))
		}
	}
	for i, rs := range f.RuleSets {
		if rs.UUID == "" {
			problems = append(problems, fmt.Sprintf("field 'rule_sets[%d].uuid' is required", i))
		}
		for j, r := range rs.Rules {
			if r.UUID == "" {
				problems = append(problems, fmt.Sprintf("field 'rule_sets[%d].rules[%d].uuid' is required", i, j))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, ", "))
	}
	return nil
}
