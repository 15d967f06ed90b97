package contactql_test

import (
	"strings"
	"testing"

	"careflow/contactql"
	"careflow/expr"
)

// testAssets are the fields, groups and flows the parse tests resolve against.
func testAssets() *contactql.Assets {
	return &contactql.Assets{
		Fields: []*contactql.Field{
			{Key: "age", Name: "Age", Type: contactql.TypeNumber},
			{Key: "gender", Name: "Gender", Type: contactql.TypeText},
			{Key: "dob", Name: "Date of Birth", Type: contactql.TypeDatetime},
			{Key: "state", Name: "State", Type: contactql.TypeState},
			{Key: "district", Name: "District", Type: contactql.TypeDistrict},
			{Key: "language", Name: "Language", Type: contactql.TypeText}, // shadowed by the attribute
		},
		Groups: []*contactql.Group{
			{UUID: "b7cf0d83-f1c9-411c-96fd-c511a4cfa86d", Name: "Testers"},
			{UUID: "4ec6bbd5-4b42-4e0c-a7b2-0ad8ad1bca54", Name: "Adults", Query: "age >= 18"},
		},
		Flows: []*contactql.Flow{{UUID: "50c3706e-fedb-42c0-8eab-dda3335714b7", Name: "Registration"}},
	}
}

// testEnv is a day-first, US environment, optionally with URNs redacted.
func testEnv(redact bool) *expr.Environment {
	env := expr.NewEnvironment(nil)
	env.DateFormat = "DD-MM-YYYY"
	env.DefaultCountry = "US"
	if redact {
		env.RedactionPolicy = expr.RedactionURNs
	}
	return env
}

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		want   string
		redact bool
		bare   bool // parse without assets
	}{
		// bare values
		{name: "QuotedWordSearchesName", query: `"mary"`, want: `name ~ "mary"`},
		{name: "WordSearchesName", query: `Mary`, want: `name ~ "Mary"`},
		{name: "TwoLetterWordSearchesName", query: `jo`, want: `name ~ "jo"`},
		{name: "SingleLetterIsNameEquality", query: `j`, want: `name = "j"`},
		{name: "AdjacentWordsAreAnded", query: `j doe`, want: `name = "j" AND name ~ "doe"`},
		{name: "WholeURNIsExactURN", query: `tel:+250788123123`, want: `urns.tel = "+250788123123"`},
		{name: "TwitterURN", query: `twitter:jdoe`, want: `urns.twitter = "jdoe"`},
		{name: "FormattedPhoneIsE164", query: `(206) 555-1212`, want: `urns.tel = "+12065551212"`},
		{name: "InternationalPhone", query: `+12065551212`, want: `urns.tel = "+12065551212"`},
		{name: "DottedPhone", query: ` 206.555.1212 `, want: `urns.tel = "+12065551212"`},
		{name: "QuotedPhoneIsTelContains", query: `"+12065551212"`, want: `urns.tel ~ "+12065551212"`},
		{name: "ShortNumberSearchesName", query: `123`, want: `name ~ 123`},
		{name: "DashedDigitsAreTelContains", query: `12-34 bob`, want: `urns.tel ~ 1234 AND name ~ "bob"`},

		// bare values with URNs redacted
		{name: "RedactedWord", query: `mary`, want: `name ~ "mary"`, redact: true},
		{name: "RedactedURNSearchesName", query: `tel:+250788123123`, want: `name ~ "tel:+250788123123"`, redact: true},
		{name: "RedactedRefLookup", query: `A6YWQL`, want: `ref = "A6YWQL"`, redact: true},
		{name: "RedactedPhoneSearchesName", query: `2065551212`, want: `name ~ 2065551212`, redact: true},

		// attributes
		{name: "NameEquality", query: `NAME=bob`, want: `name = "bob"`},
		{name: "ApostropheInValue", query: `name=O'Neil`, want: `name = "O'Neil"`},
		{name: "HasAlias", query: `name HAS "Bob"`, want: `name ~ "Bob"`},
		{name: "IsAlias", query: `name is ""`, want: `name = ""`},
		{name: "NameSet", query: `name != ""`, want: `name != ""`},
		{name: "Language", query: `language = eng`, want: `language = "eng"`},
		{name: "GroupNameAnyCase", query: `Group IS testers`, want: `group = "testers"`},
		{name: "CreatedOnDate", query: `created_on>02-03-2021`, want: `created_on > "02-03-2021"`},
		{name: "URNAttribute", query: `urn = 0788`, want: `urn = 0788`},
		{name: "Tickets", query: `tickets > 0`, want: `tickets > 0`},
		{name: "StatusKeepsCase", query: `status = ACTIVE`, want: `status = "ACTIVE"`},
		{name: "FlowName", query: `flow = registration`, want: `flow = "registration"`},
		{name: "HistoryName", query: `history != "Registration"`, want: `history != "Registration"`},
		{name: "UUID", query: `uuid = 0c7d6c8b-9e3d-4cfb-9f2d-96bc5a5e1d2f`, want: `uuid = "0c7d6c8b-9e3d-4cfb-9f2d-96bc5a5e1d2f"`},
		{name: "IDKeepsLeadingZero", query: `id = 0042`, want: `id = 0042`},
		{name: "LastSeenUnset", query: `last_seen_on = ""`, want: `last_seen_on = ""`},

		// schemes
		{name: "SchemeUnset", query: `tel=""`, want: `urns.tel = ""`},
		{name: "SchemeSet", query: `whatsapp!=""`, want: `urns.whatsapp != ""`},
		{name: "SchemeContains", query: `tel has 555`, want: `urns.tel ~ 555`},
		{name: "MailtoValue", query: `MAILTO = bob@example.com`, want: `urns.mailto = "bob@example.com"`},
		{name: "PrefixedScheme", query: `URNS.TEL = 1234`, want: `urns.tel = 1234`},
		{name: "RedactedSchemeSetCheck", query: `tel != ""`, want: `urns.tel != ""`, redact: true},
		{name: "RedactedURNSetCheck", query: `urn = ""`, want: `urn = ""`, redact: true},

		// fields
		{name: "NumberField", query: `Age IS 18`, want: `fields.age = 18`},
		{name: "NumberFieldQuotedValue", query: `AGE > "18"`, want: `fields.age > 18`},
		{name: "DecimalValue", query: `age <= 17.5`, want: `fields.age <= 17.5`},
		{name: "NegativeValueQuoted", query: `age > -2`, want: `fields.age > "-2"`},
		{name: "TextField", query: `gender = Female`, want: `fields.gender = "Female"`},
		{name: "PrefixedFieldShadowedByAttribute", query: `fields.language = "fr"`, want: `fields.language = "fr"`},
		{name: "DateFieldSlashes", query: `dob < 02/03/2000`, want: `fields.dob < "02/03/2000"`},
		{name: "StateField", query: `state = Kigali`, want: `fields.state = "Kigali"`},
		{name: "FieldUnset", query: `district = ""`, want: `fields.district = ""`},
		{name: "EscapedQuote", query: `name = "say \"hi\""`, want: `name = "say \"hi\""`},
		{name: "EscapedBackslashBeforeQuote", query: `name = "a\\" OR b1`, want: `name = "a\\" OR name ~ "b1"`},
		{name: "UnclosedEscapedQuoteUsesReferenceRule", query: `"\"x`, want: `name = "\\" AND name = "x"`},
		{name: "CombiningMarksInBareValue", query: `नमस्ते`, want: `name ~ "नमस्ते"`},
		{name: "UnicodeName", query: `name ~ "José"`, want: `name ~ "José"`},

		// combinations
		{name: "ExplicitAnd", query: `bob and jones`, want: `name ~ "bob" AND name ~ "jones"`},
		{name: "OrChain", query: `a1 or b2 OR c3`, want: `name ~ "a1" OR name ~ "b2" OR name ~ "c3"`},
		{name: "AndBeforeOr", query: `age > 18 OR gender = f AND tickets = 0`, want: `fields.age > 18 OR (fields.gender = "f" AND tickets = 0)`},
		{name: "AndThenOr", query: `age > 18 AND gender = f OR tickets = 0`, want: `(fields.age > 18 AND fields.gender = "f") OR tickets = 0`},
		{name: "ImplicitAndBeforeOr", query: `bob jones or ann lee`, want: `(name ~ "bob" AND name ~ "jones") OR (name ~ "ann" AND name ~ "lee")`},
		{name: "NestedSameOpFlattened", query: `(age > 1 AND age < 9) AND (gender = m AND tickets = 0)`, want: `fields.age > 1 AND fields.age < 9 AND fields.gender = "m" AND tickets = 0`},
		{name: "NestedOrInsideAnd", query: `(age < 18 or age > 65) and gender = f`, want: `(fields.age < 18 OR fields.age > 65) AND fields.gender = "f"`},
		{name: "RedundantParens", query: `((((age = 1))))`, want: `fields.age = 1`},

		// without assets every field is accepted
		{name: "UnknownFieldWithoutAssets", query: `beers > 3`, want: `fields.beers > 3`, bare: true},
		{name: "TextComparisonWithoutAssets", query: `gender > m`, want: `fields.gender > "m"`, bare: true},
		{name: "AnyGroupWithoutAssets", query: `group = "Nobody"`, want: `group = "Nobody"`, bare: true},
	}
	assets := testAssets()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var resolver contactql.Resolver = assets
			if tc.bare {
				resolver = nil
			}
			q, err := contactql.Parse(testEnv(tc.redact), tc.query, resolver)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.query, err)
			}
			if got := q.String(); got != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.query, got, tc.want)
			}
			// the canonical form reads back as itself
			again, err := contactql.Parse(testEnv(tc.redact), q.String(), resolver)
			if err != nil {
				t.Fatalf("reparse %q: %v", q.String(), err)
			}
			if again.String() != q.String() && !strings.HasPrefix(tc.name, "Redacted") {
				t.Errorf("reparse %q = %s", q.String(), again.String())
			}
		})
	}
}

func TestParseShort(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"FieldsLosePrefix", `age > 30 and gender = "M"`, `age > 30 AND gender = "M"`},
		{"SchemesLosePrefix", `urns.tel ~ 1800`, `tel ~ 1800`},
		{"ShadowedFieldKeepsPrefix", `fields.language = fr`, `fields.language = "fr"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := contactql.Parse(testEnv(false), tc.query, testAssets())
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Short(); got != tc.want {
				t.Errorf("Short() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		code   string
		msg    string
		extra  map[string]string
		redact bool
	}{
		{name: "EmptyQuery", query: ``, code: contactql.ErrSyntax, msg: `mismatched input '<EOF>' expecting {'(', STRING, PROPERTY, TEXT}`},
		{name: "StrayCharacter", query: `$`, code: contactql.ErrSyntax, msg: `mismatched input '$' expecting {'(', STRING, PROPERTY, TEXT}`},
		{name: "MissingValue", query: `name = `, code: contactql.ErrSyntax, msg: `mismatched input '<EOF>' expecting {STRING, PROPERTY, TEXT}`},
		{name: "UnclosedString", query: `name = "bob`, code: contactql.ErrSyntax, msg: `extraneous input '"' expecting {STRING, PROPERTY, TEXT}`},
		{name: "DoubledComparator", query: `name = = bob`, code: contactql.ErrSyntax, msg: `extraneous input '=' expecting {STRING, PROPERTY, TEXT}`},
		{name: "StrayBeforeWord", query: `$ bob`, code: contactql.ErrSyntax, msg: `extraneous input '$' expecting {'(', STRING, PROPERTY, TEXT}`},
		{name: "PropertyWithSlash", query: `na/me = "x"`, code: contactql.ErrSyntax, msg: `mismatched input '=' expecting <EOF>`},
		{name: "TrailingDot", query: `name. = "x"`, code: contactql.ErrSyntax, msg: `mismatched input '=' expecting <EOF>`},
		{name: "DanglingOr", query: `bob or`, code: contactql.ErrSyntax, msg: `mismatched input '<EOF>' expecting {'(', STRING, PROPERTY, TEXT}`},
		{name: "UnclosedParen", query: `(age > 1`, code: contactql.ErrSyntax, msg: `missing ')' at '<EOF>'`},
		{name: "ExtraParen", query: `age > 1)`, code: contactql.ErrSyntax, msg: `extraneous input ')' expecting <EOF>`},
		{name: "ExtraParenThenMore", query: `age > 1) bob`, code: contactql.ErrSyntax, msg: `mismatched input ')' expecting <EOF>`},
		{name: "KeywordAsValue", query: `name = and`, code: contactql.ErrSyntax, msg: `mismatched input 'and' expecting {STRING, PROPERTY, TEXT}`},
		{name: "BangAlone", query: `name ! bob`, code: contactql.ErrSyntax, msg: `mismatched input '!' expecting <EOF>`},

		{name: "UnknownField", query: `beers = 12`, code: contactql.ErrUnknownProperty, msg: `can't resolve 'beers' to attribute, scheme or field`, extra: map[string]string{"property": "beers"}},
		{name: "UnknownPropertyType", query: `xyz.age = 12`, code: contactql.ErrUnknownPropertyType, msg: `unknown property type 'xyz'`, extra: map[string]string{"type": "xyz"}},
		{name: "BadNumber", query: `age = twelve`, code: contactql.ErrInvalidNumber, msg: `can't convert 'twelve' to a number`, extra: map[string]string{"value": "twelve"}},
		{name: "ExponentNotANumber", query: `age < 1e10`, code: contactql.ErrInvalidNumber, msg: `can't convert '1e10' to a number`, extra: map[string]string{"value": "1e10"}},
		{name: "TooManyDigits", query: `tickets = ` + strings.Repeat("9", 37), code: contactql.ErrInvalidNumber, msg: `can't convert '` + strings.Repeat("9", 37) + `' to a number`, extra: map[string]string{"value": strings.Repeat("9", 37)}},
		{name: "BadDate", query: `dob = soon`, code: contactql.ErrInvalidDate, msg: `can't convert 'soon' to a date`, extra: map[string]string{"value": "soon"}},
		{name: "BadCreatedOn", query: `created_on > XY`, code: contactql.ErrInvalidDate, msg: `can't convert 'XY' to a date`, extra: map[string]string{"value": "XY"}},
		{name: "UnknownGroup", query: `group = "Cool Kids"`, code: contactql.ErrInvalidGroup, msg: `'Cool Kids' is not a valid group name`, extra: map[string]string{"value": "Cool Kids"}},
		{name: "UnknownFlow", query: `flow = "Catch All"`, code: contactql.ErrInvalidFlow, msg: `'Catch All' is not a valid flow name`, extra: map[string]string{"value": "Catch All"}},
		{name: "UnknownStatus", query: `status = gone`, code: contactql.ErrInvalidStatus, msg: `'gone' is not a valid contact status`, extra: map[string]string{"value": "gone"}},
		{name: "UnknownLanguage", query: `language = "english"`, code: contactql.ErrInvalidLanguage, msg: `'english' is not a valid language code`, extra: map[string]string{"value": "english"}},
		{name: "ShortNameContains", query: `name ~ "x"`, code: contactql.ErrInvalidPartialName, msg: `contains operator on name requires token of minimum length 2`, extra: map[string]string{"min_token_length": "2"}},
		{name: "ShortURNContains", query: `urn ~ 12`, code: contactql.ErrInvalidPartialURN, msg: `contains operator on URN requires value of minimum length 3`, extra: map[string]string{"min_value_length": "3"}},
		{name: "ShortSchemeContains", query: `tel ~ 12`, code: contactql.ErrInvalidPartialURN, msg: `contains operator on URN requires value of minimum length 3`, extra: map[string]string{"min_value_length": "3"}},
		{name: "ContainsOnField", query: `gender ~ fem`, code: contactql.ErrUnsupportedContains, msg: `contains conditions can only be used with name or URN values`, extra: map[string]string{"property": "gender"}},
		{name: "ContainsOnUUID", query: `uuid ~ 123`, code: contactql.ErrUnsupportedContains, msg: `contains conditions can only be used with name or URN values`, extra: map[string]string{"property": "uuid"}},
		{name: "ComparisonOnText", query: `name > bob`, code: contactql.ErrUnsupportedComparison, msg: `comparisons with > can only be used with date and number fields`, extra: map[string]string{"property": "name", "operator": ">"}},
		{name: "ComparisonOnLocation", query: `state <= Kigali`, code: contactql.ErrUnsupportedComparison, msg: `comparisons with <= can only be used with date and number fields`, extra: map[string]string{"property": "state", "operator": "<="}},
		{name: "SetCheckOnUUID", query: `uuid = ""`, code: contactql.ErrUnsupportedSetCheck, msg: `can't check whether 'uuid' is set or not set`, extra: map[string]string{"property": "uuid", "operator": "="}},
		{name: "SetCheckOnCreatedOn", query: `created_on != ""`, code: contactql.ErrUnsupportedSetCheck, msg: `can't check whether 'created_on' is set or not set`, extra: map[string]string{"property": "created_on", "operator": "!="}},
		{name: "RedactedScheme", query: `tel = 1234`, code: contactql.ErrRedactedURNs, msg: `cannot query on redacted URNs`, redact: true},
		{name: "RedactedURN", query: `urn ~ "1800"`, code: contactql.ErrRedactedURNs, msg: `cannot query on redacted URNs`, redact: true},
		{name: "TooDeep", query: strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), code: contactql.ErrTooComplex, msg: `query is too complex`},
		{name: "TooLong", query: strings.Repeat("ab ", 4000), code: contactql.ErrTooComplex, msg: `query is too complex`},
		{name: "TooManyConditions", query: strings.Repeat("ab ", 251), code: contactql.ErrTooComplex, msg: `query is too complex`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contactql.Parse(testEnv(tc.redact), tc.query, testAssets())
			qe, ok := contactql.AsError(err)
			if !ok {
				t.Fatalf("Parse(%q) error = %v, want a query error", tc.query, err)
			}
			if qe.Code != tc.code || qe.Message != tc.msg {
				t.Errorf("Parse(%q) = %s: %s, want %s: %s", tc.query, qe.Code, qe.Message, tc.code, tc.msg)
			}
			if len(tc.extra) > 0 || len(qe.Extra) > 0 {
				if len(qe.Extra) != len(tc.extra) {
					t.Errorf("extra = %v, want %v", qe.Extra, tc.extra)
				}
				for k, v := range tc.extra {
					if qe.Extra[k] != v {
						t.Errorf("extra[%s] = %q, want %q", k, qe.Extra[k], v)
					}
				}
			}
		})
	}
}
