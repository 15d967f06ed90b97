package expr

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustEnv(t testing.TB, envJSON string) *Environment {
	t.Helper()
	env, err := ParseEnvironment([]byte(envJSON), ClockFunc(func() time.Time {
		return time.Date(2019, 10, 16, 13, 59, 30, 123456789, time.UTC)
	}))
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestEvaluateTemplate(t *testing.T) {
	t.Parallel()
	ctx := fuzzContext(t)
	tests := []struct {
		name, env, tpl, want string
		errors               []string
	}{
		{name: "IdentifierEndsBeforeFinalPeriod", tpl: "Dear @contact.name.", want: "Dear Ryan Lewis."},
		{name: "UnknownRootIsLiteral", tpl: "mail me@example.com", want: "mail me@example.com"},
		{name: "DoubleAtIsLiteral", tpl: "@@contact.name", want: "@contact.name"},
		{name: "ObjectRendersItsDefault", tpl: "@contact", want: "Ryan"},
		{name: "ErrorsRenderEmptyAndAreRecorded", tpl: "a@(1 / 0)b", want: "ab", errors: []string{"division by zero"}},
		{name: "MissingPropertyIsAnError", tpl: "@contact.nickname", want: "", errors: []string{"object has no property 'nickname'"}},
		{name: "UnterminatedExpressionIsLiteral", tpl: "@(1 + 2", want: "@(1 + 2"},
		{name: "DecimalArithmetic", tpl: "@(0.1 + 0.2)", want: "0.3"},
		{name: "LambdasMapArrays", tpl: `@(join(foreach(words, upper), "-"))`, want: "BANANA-APPLE"},
		{name: "EnvironmentDateFormat", env: `{"date_format": "DD-MM-YYYY", "timezone": "America/Guayaquil"}`, tpl: `@(datetime("04/03/2020 3:45pm"))`, want: "2020-03-04T15:45:00.000000-05:00"},
		{name: "NestingTooDeep", tpl: "@(" + strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101) + ")", want: "", errors: []string{"expression nesting too deep"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := mustEnv(t, tc.env)
			got, diags := EvaluateTemplate(env, ctx, tc.tpl, nil)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			var msgs []string
			for _, e := range diags.Errors {
				msgs = append(msgs, e.Message)
			}
			if !reflect.DeepEqual(msgs, tc.errors) {
				t.Errorf("errors %q, want %q", msgs, tc.errors)
			}
		})
	}
}

func TestEvaluateTemplateValueKeepsTypes(t *testing.T) {
	t.Parallel()
	ctx := fuzzContext(t)
	tests := []struct {
		name, tpl string
		want      Type
	}{
		{"SingleIdentifierKeepsNumber", " @fields.age ", TypeNumber},
		{"SingleExpressionKeepsArray", "@(split(\"a b\"))", TypeArray},
		{"MixedTemplateIsText", "@fields.age years", TypeText},
		{"ErrorsStayErrors", "@(1 / 0)", TypeError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := EvaluateTemplateValue(mustEnv(t, ""), ctx, tc.tpl)
			if got := TypeOf(v); got != tc.want {
				t.Errorf("type %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCallTest(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, "")
	tests := []struct {
		name    string
		test    string
		args    []Value
		matched bool
		match   string
		err     string
	}{
		{"AnyWordMatchesOriginalCase", "has_any_word", []Value{Text("I want RED"), Text("red green")}, true, "RED", ""},
		{"NumberBetween", "has_number_between", []Value{Text("age 25"), NumberFromInt(18), NumberFromInt(30)}, true, "25", ""},
		{"NoMatchHasEmptyMatch", "has_text", []Value{Text("  ")}, false, "", ""},
		{"BadArgumentIsAnError", "has_number_gte", []Value{Text("5"), Text("x")}, false, "", `error calling has_number_gte(...): unable to convert "x" to a number`},
		{"LeadingPointAfterALetterIsNotADecimal", "has_number", []Value{Text("hi.51")}, true, "51", ""},
		{"LeadingPointAfterASpaceIsADecimal", "has_number", []Value{Text("hi .51")}, true, "0.51", ""},
		{"EmailLocalPartsMayHoldSymbols", "has_email", []Value{Text("mail <foo~$1+spam@bar-2.com>")}, true, "foo~$1+spam@bar-2.com", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CallTest(env, tc.test, tc.args)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Matched != tc.matched || Render(env, res.Match) != tc.match {
				t.Errorf("got %v %q, want %v %q", res.Matched, Render(env, res.Match), tc.matched, tc.match)
			}
		})
	}
}

func TestLazyValuesAndDeprecationWarnings(t *testing.T) {
	t.Parallel()
	built := 0
	contact := NewLazy(func() Value {
		built++
		return NewObject().SetDefault(Text("Bob")).Set("name", Text("Bob")).
			SetDeprecated("id", NumberFromInt(7), "@contact.id is deprecated, use @contact.ref instead")
	})
	ctx := NewObject().Set("contact", contact).Set("other", Text("x"))
	env := mustEnv(t, "")
	if out, _ := EvaluateTemplate(env, ctx, "@other", nil); out != "x" || built != 0 {
		t.Fatalf("contact built %d times rendering @other (%q)", built, out)
	}
	out, diags := EvaluateTemplate(env, ctx, "@contact @(contact.id & contact.id)", nil)
	if out != "Bob 77" || built != 1 {
		t.Fatalf("got %q, built %d times", out, built)
	}
	// each distinct warning once per expression
	if !reflect.DeepEqual(diags.Warnings, []string{"@contact.id is deprecated, use @contact.ref instead"}) {
		t.Fatalf("warnings %q", diags.Warnings)
	}
}

func TestContextPaths(t *testing.T) {
	t.Parallel()
	got := ContextPaths(`Hi @contact.name @(foreach(results.x, (v) => v & input.text)) @webhook.json.0 foo@bar.com`)
	want := []string{"contact.name", "results.x", "input.text", "webhook.json.0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestMigrateLegacyTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tpl string
		opts      LegacyOptions
		want      string
	}{
		{"FlowBecomesResults", "You picked @flow.number!", LegacyOptions{}, "You picked @results.number!"},
		{"ResultCategoryIsLocalized", "@flow.answer.category", LegacyOptions{}, "@results.answer.category_localized"},
		{"NumericResultKeysUseIndexing", "@flow.3rd.value", LegacyOptions{}, `@(results["3rd"].value)`},
		{"ContactFieldsMoveToFields", "@contact.city?", LegacyOptions{}, "@fields.city?"},
		{"ParentContactFields", "@parent.contact.city", LegacyOptions{}, "@parent.fields.city"},
		{"PhoneFormatted", "@contact.tel", LegacyOptions{}, "@(format_urn(urns.tel))"},
		{"OtherSchemesArePaths", "@contact.mailto", LegacyOptions{}, `@(default(urn_parts(urns.mailto).path, ""))`},
		{"StepValueIsInput", "@step.value", LegacyOptions{}, "@input"},
		{"AttachmentURLs", "@step.attachments.1", LegacyOptions{}, "@(attachment_parts(input.attachments[1]).url)"},
		{"ChannelIsItsAddress", "@channel", LegacyOptions{}, "@contact.channel.address"},
		{"TodayIsFormatted", "@date.today", LegacyOptions{}, "@(format_date(today()))"},
		{"URLEncoding", "http://x.com?name=@contact.name", LegacyOptions{URLEncode: true}, "http://x.com?name=@(url_encode(contact.name))"},
		{"DefaultToSelf", "@contact.gender", LegacyOptions{DefaultToSelf: true}, `@(if(is_error(fields.gender), "@contact.gender", fields.gender))`},
		{"RawDateArithmetic", "@(date.today - 1)", LegacyOptions{RawDates: true}, `@(datetime_add(today(), -1, "D"))`},
		{"FormattedDateArithmetic", "@(date.today + 2)", LegacyOptions{}, `@(format_date(datetime_add(format_date(today()), 2, "D")))`},
		{"DatetimePlusTime", "@(now() + TIME(1, 0, 0))", LegacyOptions{}, `@(datetime_add(now(), format_time(time_from_parts(1, 0, 0), "tt") * 60 + format_time(time_from_parts(1, 0, 0), "m"), "m"))`},
		{"UnknownPlusTimeReplacesTime", "@(contact.dob + TIMEVALUE(\"9:00\"))", LegacyOptions{}, `@(replace_time(fields.dob, time("9:00")))`},
		{"UnknownAdditionIsLegacyAdd", "@(contact.age - 3)", LegacyOptions{}, "@(legacy_add(fields.age, -3))"},
		{"ExcelFunctions", `@(CONCATENATE("a", LEN("xy")))`, LegacyOptions{}, `@("a" & text_length("xy"))`},
		{"OneBasedIndexes", `@(WORD(contact.name, 2, TRUE))`, LegacyOptions{}, `@(word(contact.name, 1, " \t"))`},
		{"QuotesInText", `@("say ""hi""")`, LegacyOptions{}, `@("say \"hi\"")`},
		{"EmptyTextIsNothing", `a@("")b`, LegacyOptions{}, "ab"},
		{"InvalidExpressionsAreKept", "@(legacy.expression.with.error.)", LegacyOptions{}, "@(legacy.expression.with.error.)"},
		{"UnknownRootsAreText", "mail bob@nyaruka.com @nyaruka @@flow", LegacyOptions{}, "mail bob@nyaruka.com @nyaruka @@flow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := MigrateLegacyTemplate(tc.tpl, tc.opts)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLocationTests(t *testing.T) {
	t.Parallel()
	locs, err := ParseLocations([]byte(`[{"name": "Rwanda", "aliases": ["Ruanda"], "children": [
		{"name": "Kigali City", "aliases": ["Kigali", "Kigari"], "children": [
			{"name": "Gasabo", "children": [{"name": "Gisozi"}, {"name": "Ndera"}]},
			{"name": "Nyarugenge", "children": []}]},
		{"name": "Île-de-France"}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	env := mustEnv(t, "")
	env.Locations = locs
	tests := []struct {
		name  string
		test  string
		args  []Value
		match string
	}{
		{"StateByAlias", "has_state", []Value{Text("I'm in kigari")}, "Rwanda > Kigali City"},
		{"UniqueDistrictWithoutState", "has_district", []Value{Text("I live in gasabo")}, "Rwanda > Kigali City > Gasabo"},
		{"DistrictWithinState", "has_district", []Value{Text("Nyarugenge"), Text("Kigali")}, "Rwanda > Kigali City > Nyarugenge"},
		{"WardWithinStateAndDistrict", "has_ward", []Value{Text("ndera"), Text("Kigali"), Text("Gasabo")}, "Rwanda > Kigali City > Gasabo > Ndera"},
		{"NoMatch", "has_state", []Value{Text("Paris")}, ""},
		{"HyphenatedNamesAreOneWord", "has_state", []Value{Text("dans l'Île-de-France")}, "Rwanda > Île-de-France"},
		{"StateGivenAsAPath", "has_district", []Value{Text("gasabo"), Text("Rwanda > Kigali City")}, "Rwanda > Kigali City > Gasabo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CallTest(env, tc.test, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if got := Render(env, res.Match); got != tc.match || res.Matched != (tc.match != "") {
				t.Fatalf("got %v %q, want %q", res.Matched, got, tc.match)
			}
		})
	}
}

func TestValuesMarshalLikeJSONFunction(t *testing.T) {
	t.Parallel()
	obj := NewObject().SetDefault(Text("d")).Set("b", NewArray(NumberFromInt(1), nil, Boolean(true))).
		Set("a", NewDate(2020, 1, 2)).Set("f", functions["upper"]).Set("l", NewLazy(func() Value { return Text("x") }))
	got, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"2020-01-02","b":[1,null,true],"f":null,"l":"x"}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if _, err := json.Marshal(NewError("boom")); err == nil {
		t.Fatal("marshalled an error value")
	}
	// inside containers, errors become null items and missing properties
	got, _ = json.Marshal(NewArray(NewError("boom"), NewObject().Set("e", NewError("boom")).Set("x", Text("y"))))
	if want := `[null,{"x":"y"}]`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestFormatDateUsesEnvironmentLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, env, want string }{
		{"EnglishByDefault", `{}`, "Sunday, 5 January 2020 / Sun 5 Jan"},
		{"Spanish", `{"allowed_languages": ["spa"]}`, "domingo, 5 enero 2020 / dom 5 ene"},
		{"UnknownLanguageIsEnglish", `{"allowed_languages": ["kin"]}`, "Sunday, 5 January 2020 / Sun 5 Jan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := EvaluateTemplate(mustEnv(t, tc.env), nil, `@(format_date("2020-01-05", "EEEE, D MMMM YYYY")) / @(format_date("2020-01-05", "EEE D MMM"))`, nil)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

type fakeContact struct{ name string }

func (c *fakeContact) Context(env *Environment) *Object {
	return NewObject().SetDefault(Text(c.name)).Set("name", Text(c.name))
}

func TestContextOfExposesEngineObjects(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, "")
	ctx := NewObject().Set("contact", ContextOf(env, &fakeContact{name: "Ann"})).Set("parent", ContextOf(env, nil))
	got, diags := EvaluateTemplate(env, ctx, "@contact/@contact.name/@parent", nil)
	if got != "Ann/Ann/" || len(diags.Errors) > 0 {
		t.Fatalf("got %q %v", got, diags.Errors)
	}
}

func TestFormatNestsMultilineValues(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, "")
	lines := NewObject().SetDefault(Text("a: 1\nb: 2"))
	v := NewObject().Set("list", NewArray(lines, Text("x"))).Set("name", Text("Bob"))
	want := "list:\n  - a: 1\n    b: 2\n  - x\nname: Bob"
	if got := Format(env, v); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestBudgetBoundsEvaluation(t *testing.T) {
	t.Parallel()
	env := mustEnv(t, "")
	env.Budget = 200_000 // the default is 10,000,000; a smaller one keeps the test quick
	tests := []struct {
		name, tpl  string
		tooComplex bool
	}{
		{"OrdinaryTemplatesFit", `@(join(foreach(split("a b c"), (w) => upper(w)), "-"))`, false},
		{"NestedTextManufacturing", `@(join(foreach(split(repeat("a ", 500)), (v) => join(foreach(split(repeat("a ", 500)), repeat, 1000), "")), ""))`, true},
		{"NestedArraysOfBigText", `@(count(foreach(split(repeat("a ", 500)), (v) => foreach(split(repeat("a ", 500)), repeat, 1000))))`, true},
		{"IterationOverTinyValues", `@(foreach(split(repeat("x ", 500)), (a) => foreach(split(repeat("x ", 500)), (b) => foreach(split(repeat("x ", 500)), (c) => ""))))`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := EvaluateTemplate(env, nil, tc.tpl, nil)
			tooComplex := len(diags.Errors) == 1 && diags.Errors[0].TooComplex &&
				diags.Errors[0].Message == "expression is too complex to evaluate"
			if tooComplex != tc.tooComplex {
				t.Fatalf("errors %v, want too complex: %v", diags.Errors, tc.tooComplex)
			}
		})
	}
}

func TestCollation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, collation, a, b string
		equal                 bool
	}{
		{"DefaultIgnoresCase", CollationDefault, "AbcD", "aBCd", true},
		{"ConfusablesFoldLookAlikes", CollationConfusables, "𝕟𝔂𝛼𝐫ᴜ𝞳𝕒", "Nyaruka", true},
		{"ConfusablesFoldCyrillic", CollationConfusables, "ԁоg", "dog", true},
		{"ConfusablesKeepDifferentWords", CollationConfusables, "trileet", "nyaruka", false},
		{"ArabicDigitForms", CollationArabicVariants, "٠١٢٣٤٥٦۷٨٩", "۰۱۲۳۴۵۶۷۸۹", true},
		{"ArabicYehForms", CollationArabicVariants, "\u0628\u0644\u0649", "\u0628\u0644\u064A", true},
		{"ArabicKafForms", CollationArabicVariants, "\u0643\u0627\u0641", "\uFEDB\u0627\u0641", true},
		{"ArabicPresentationForms", CollationArabicVariants, "\uFE8F\uFEDD\uFBFC", "\u0628\u0644\u06CC", true},
		{"ArabicDifferentWords", CollationArabicVariants, "\u0628\u0644", "\u0628\u0644\u06CC", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := &Environment{InputCollation: tc.collation}
			if got := collate(env, tc.a) == collate(env, tc.b); got != tc.equal {
				t.Fatalf("%q vs %q: equal %v (%q, %q)", tc.a, tc.b, got, collate(env, tc.a), collate(env, tc.b))
			}
		})
	}
}
