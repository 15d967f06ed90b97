package expr

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

func init() {
	registerTests([]builtin{
		{FunctionInfo{Name: "has_phone", Signature: "has_phone(text [, country])", Summary: "Tests whether text contains a phone number (for the country or the env default); match = E.164 number.", Example: `@(has_phone("call +250788123456").match)` + " → `+250788123456`"}, 1, 2, testHasPhone},
		{FunctionInfo{Name: "has_group", Signature: "has_group(groups, group_uuid [, name])", Summary: "Tests whether an array of groups holds the group with the UUID; match = that group.", Example: `@(has_group(contact.groups, "b7cf0d83-f1c9-411c-96fd-c511a4cfa86d"))`}, 2, 3, testHasGroup},
		{FunctionInfo{Name: "has_category", Signature: "has_category(result, categories...)", Summary: "Tests whether a result's category is one of the given names.", Example: `@(has_category(results.color, "Red", "Blue"))`}, 2, -1, testHasCategory},
		{FunctionInfo{Name: "has_state", Signature: "has_state(text)", Summary: "Tests for a state name; needs location assets.", Example: `@(has_state("Kigali"))`}, 1, 1, testLocation},
		{FunctionInfo{Name: "has_district", Signature: "has_district(text [, state])", Summary: "Tests for a district name; needs location assets.", Example: `@(has_district("Gasabo", "Kigali"))`}, 1, 2, testLocation},
		{FunctionInfo{Name: "has_ward", Signature: "has_ward(text [, state, district])", Summary: "Tests for a ward name; needs location assets.", Example: `@(has_ward("Kimironko", "Kigali", "Gasabo"))`}, 1, 3, testLocation},
		{FunctionInfo{Name: "has_intent", Signature: "has_intent(result, name, confidence)", Summary: "Deprecated NLU test; always false.", Example: `@(has_intent(results.x, "book", 0.5))` + " → `false`"}, 3, 3, testNever},
		{FunctionInfo{Name: "has_top_intent", Signature: "has_top_intent(result, name, confidence)", Summary: "Deprecated NLU test; always false.", Example: `@(has_top_intent(results.x, "book", 0.5))` + " → `false`"}, 3, 3, testNever},
	})
}

var phoneCandidate = regexp.MustCompile(`\+?\d[\d\s\-.()]{3,}\d`)

// testHasPhone finds a valid phone number.
func testHasPhone(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	country := env.DefaultCountry
	if len(args) > 1 {
		if country, err = ToText(env, args[1]); err != nil {
			return err
		}
	}
	country = strings.ToUpper(strings.TrimSpace(country))
	for _, c := range phoneCandidate.FindAllString(s, -1) {
		num, perr := phonenumbers.Parse(c, country)
		if perr != nil || !phonenumbers.IsValidNumber(num) {
			continue
		}
		return testResult(true, Text(phonenumbers.Format(num, phonenumbers.E164)), nil)
	}
	return testResult(false, nil, nil)
}

// testHasGroup finds a group by UUID in an array of group objects.
func testHasGroup(env *Environment, args []Value) Value {
	groups, err := ToArray(env, args[0])
	if err != nil {
		return err
	}
	uuid, err := ToText(env, args[1])
	if err != nil {
		return err
	}
	for _, g := range groups.Items() {
		obj, ok := g.(*Object)
		if !ok {
			continue
		}
		if u, ok := obj.Get("uuid"); ok {
			if s, _ := ToText(env, u); strings.EqualFold(s, uuid) {
				return testResult(true, obj, nil)
			}
		}
	}
	return testResult(false, nil, nil)
}

// testHasCategory matches a result's category against names.
func testHasCategory(env *Environment, args []Value) Value {
	result, err := ToObject(env, args[0])
	if err != nil {
		return err
	}
	names, err := texts(env, args[1:])
	if err != nil {
		return err
	}
	cv, _ := result.Get("category")
	category, err := ToText(env, cv)
	if err != nil {
		return err
	}
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), category) {
			return testResult(true, Text(category), nil)
		}
	}
	return testResult(false, nil, nil)
}

// testLocation is the location tests without location assets, which the reference reports
// as an error; the engine resolves locations itself when a flow is location enabled.
func testLocation(env *Environment, args []Value) Value {
	if _, err := ToText(env, args[0]); err != nil {
		return err
	}
	return NewError("can't find locations in environment which is not location enabled")
}

// testNever is the deprecated NLU tests, which never match.
func testNever(env *Environment, args []Value) Value { return testResult(false, nil, nil) }
