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
		{FunctionInfo{Name: "has_state", Signature: "has_state(text)", Summary: "Tests for a state name (needs Environment.Locations); match = the location path.", Example: `@(has_state("Kigali"))`}, 1, 1, testHasState},
		{FunctionInfo{Name: "has_district", Signature: "has_district(text [, state])", Summary: "Tests for a district name, within the state if given (needs Environment.Locations).", Example: `@(has_district("Gasabo", "Kigali"))`}, 1, 2, testHasDistrict},
		{FunctionInfo{Name: "has_ward", Signature: "has_ward(text [, state, district])", Summary: "Tests for a ward name, within the state and district if given (needs Environment.Locations).", Example: `@(has_ward("Kimironko", "Kigali", "Gasabo"))`}, 1, 3, testHasWard},
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
		obj, err := ToObject(env, g)
		if err != nil {
			return err
		}
		u, _ := obj.Get("uuid")
		s, err := ToText(env, u)
		if err != nil {
			return err
		}
		if s == uuid {
			return testResult(true, obj, nil)
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
	// a result has at least a name (results saved by routers and actions always do)
	if name, _ := result.Get("name"); Render(env, name) == "" {
		return NewError("first argument must be a result")
	}
	cv, _ := result.Get("category")
	category := Render(env, cv)
	for _, n := range names {
		if n == category {
			return testResult(true, Text(category), nil)
		}
	}
	return testResult(false, nil, nil)
}

var errNoLocations = NewError("can't find locations in environment which is not location enabled")

// locationMatch returns the test result for the first of the found locations.
func locationMatch(found []*Location) Value {
	if len(found) == 0 {
		return testResult(false, nil, nil)
	}
	return testResult(true, Text(found[0].Path()), nil)
}

// testHasState finds a state named in the text.
func testHasState(env *Environment, args []Value) Value {
	s, err := ToText(env, args[0])
	if err != nil {
		return err
	}
	if env.Locations == nil {
		return errNoLocations
	}
	return locationMatch(env.Locations.findFuzzy(env, s, LevelState, nil))
}

// testHasDistrict finds a district named in the text, within the named state if given, else
// only when exactly one district matches.
func testHasDistrict(env *Environment, args []Value) Value {
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	if env.Locations == nil {
		return errNoLocations
	}
	ls := env.Locations
	if len(ts) > 1 && strings.TrimSpace(ts[1]) != "" {
		states := ls.findFuzzy(env, ts[1], LevelState, nil)
		if len(states) == 0 {
			return testResult(false, nil, nil)
		}
		return locationMatch(ls.findFuzzy(env, ts[0], LevelDistrict, states[0]))
	}
	if found := ls.findFuzzy(env, ts[0], LevelDistrict, nil); len(found) == 1 {
		return locationMatch(found)
	}
	return testResult(false, nil, nil)
}

// testHasWard finds a ward named in the text, within the named state and district if given,
// else only when exactly one ward matches.
func testHasWard(env *Environment, args []Value) Value {
	if len(args) == 2 {
		return Errorf("need 1 or 3 argument(s), got %d", len(args))
	}
	ts, err := texts(env, args)
	if err != nil {
		return err
	}
	if env.Locations == nil {
		return errNoLocations
	}
	ls := env.Locations
	if len(ts) == 3 && strings.TrimSpace(ts[1]) != "" && strings.TrimSpace(ts[2]) != "" {
		states := ls.findFuzzy(env, ts[1], LevelState, nil)
		if len(states) == 0 {
			return testResult(false, nil, nil)
		}
		districts := ls.findFuzzy(env, ts[2], LevelDistrict, states[0])
		if len(districts) == 0 {
			return testResult(false, nil, nil)
		}
		return locationMatch(ls.findFuzzy(env, ts[0], LevelWard, districts[0]))
	}
	if found := ls.findFuzzy(env, ts[0], LevelWard, nil); len(found) == 1 {
		return locationMatch(found)
	}
	return testResult(false, nil, nil)
}

// testNever is the deprecated NLU tests, which never match.
func testNever(env *Environment, args []Value) Value { return testResult(false, nil, nil) }
