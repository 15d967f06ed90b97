package contactql_test

import (
	"testing"
	"time"

	"careflow/contactql"
)

const testContactJSON = `{
	"uuid": "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3",
	"id": 1234567,
	"name": "Ben Haggerty-Smith",
	"language": "eng",
	"status": "active",
	"created_on": "2020-01-02T23:30:00Z",
	"last_seen_on": "2021-06-15T08:00:00Z",
	"urns": ["tel:+12065551212?channel=57f1078f-88aa-46f4-a59a-948a5739c03d", "tel:+250788123123", "twitter:Crazy_Ben#ben"],
	"groups": [{"uuid": "b7cf0d83-f1c9-411c-96fd-c511a4cfa86d", "name": "Testers"}],
	"fields": {
		"gender": {"text": "Male"},
		"age": {"text": "23", "number": 23},
		"dob": {"text": "1998-04-01", "datetime": "1998-04-01T10:00:00+02:00"},
		"state": {"text": "Kigali", "state": "Rwanda > Kigali City"}
	},
	"tickets": [{"status": "open"}, {"status": "closed"}],
	"ref": "A6YWQL",
	"current_flow": "50c3706e-fedb-42c0-8eab-dda3335714b7",
	"flow_history": ["50c3706e-fedb-42c0-8eab-dda3335714b7"]
}`

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  bool
		tz    string // environment timezone, UTC when empty
	}{
		{"NameEqualsIgnoresCase", `name = "ben haggerty-smith"`, true, ""},
		{"NameEqualsWholeNameOnly", `name = ben`, false, ""},
		{"NameContainsWordPrefix", `name ~ hag`, true, ""},
		{"NameContainsLaterWord", `name ~ smi`, true, ""},
		{"NameContainsNotMidWord", `name ~ agg`, false, ""},
		{"NameContainsTruncatesAtEight", `name ~ haggertyxyz`, true, ""},
		{"BareWordsAreNameSearch", `ben smith`, true, ""},
		{"BareWordMissing", `ben jones`, false, ""},
		{"NameSet", `name != ""`, true, ""},
		{"UUID", `uuid = BA96BF7F-BC2A-4873-A7C7-254D1927C4E3`, true, ""},
		{"ID", `id = 1234567`, true, ""},
		{"IDIsExactText", `id = 01234567`, false, ""},
		{"IDOther", `id != 7`, true, ""},
		{"Ref", `ref = a6ywql`, true, ""},
		{"StatusAnyCase", `status = ACTIVE`, true, ""},
		{"StatusNot", `status != blocked`, true, ""},
		{"Language", `language = eng`, true, ""},
		{"LanguageUnsetIsFalse", `language = ""`, false, ""},
		{"TelContains", `tel ~ 555`, true, ""},
		{"TelEqualsAnyNumber", `tel = +250788123123`, true, ""},
		{"TelNotEqualsNeedsNone", `tel != +250788123123`, false, ""},
		{"TelNotEqualsOther", `tel != +15555555555`, true, ""},
		{"BarePhoneIsTelEquals", `(206) 555-1212`, true, ""},
		{"TwitterIgnoresCase", `twitter = crazy_ben`, true, ""},
		{"URNAttributeContains", `urn ~ crazy`, true, ""},
		{"WhatsappUnset", `whatsapp = ""`, true, ""},
		{"BareURN", `twitter:crazy_ben`, true, ""},
		{"GroupMember", `group = testers`, true, ""},
		{"GroupNotMember", `group != Adults`, true, ""},
		{"GroupSet", `group != ""`, true, ""},
		{"Flow", `flow = Registration`, true, ""},
		{"FlowSet", `flow = ""`, false, ""},
		{"History", `history = registration`, true, ""},
		{"TicketsCountsOpen", `tickets = 1`, true, ""},
		{"TicketsGreater", `tickets > 1`, false, ""},
		{"NumberGreater", `age > 20`, true, ""},
		{"NumberDecimalEqual", `age = 23.0`, true, ""},
		{"NumberLessOrEqual", `age <= 22.99`, false, ""},
		{"NumberNotEqual", `age != 24`, true, ""},
		{"NumberSet", `age != ""`, true, ""},
		{"TextFieldIgnoresCase", `gender = MALE`, true, ""},
		{"TextFieldNotEqual", `gender != female`, true, ""},
		{"LocationUsesLastPart", `state = "kigali city"`, true, ""},
		{"LocationUnset", `district = ""`, true, ""},
		{"DateFieldWholeDay", `dob = 01-04-1998`, true, ""},
		{"DateFieldAfterDay", `dob > 31-03-1998`, true, ""},
		{"DateFieldNotAfterSameDay", `dob > 01-04-1998`, false, ""},
		{"DateFieldOnOrAfter", `dob >= 01-04-1998`, true, ""},
		{"DateFieldBefore", `dob < 01-04-1998`, false, ""},
		{"DateFieldOnOrBefore", `dob <= 01-04-1998`, true, ""},
		{"CreatedOnUTCDay", `created_on = 02-01-2020`, true, ""},
		{"CreatedOnLocalDay", `created_on = 03-01-2020`, true, "Africa/Kigali"},
		{"CreatedOnLocalDayNotUTC", `created_on = 02-01-2020`, false, "Africa/Kigali"},
		{"CreatedOnISODateTimeComparesItsDay", `created_on < "2020-01-02T23:31:00Z"`, false, ""},
		{"LastSeenSet", `last_seen_on != ""`, true, ""},
		{"LastSeenAfter", `last_seen_on > 01-01-2021`, true, ""},
		{"AndAllTrue", `age > 20 AND gender = male AND tel ~ 2065`, true, ""},
		{"AndOneFalse", `age > 20 gender = female`, false, ""},
		{"OrOneTrue", `age > 90 OR gender = male`, true, ""},
		{"Precedence", `age > 90 OR gender = male AND tickets = 5`, false, ""},
		{"Parentheses", `(age > 90 OR gender = male) AND tickets = 1`, true, ""},
		{"UnsetFieldNotEqualIsTrue", `district != Gasabo`, true, ""},
		{"UnsetFieldEqualIsFalse", `district = Gasabo`, false, ""},
	}
	contact := mustContact(t, testContactJSON)
	assets := testAssets()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(false)
			if tc.tz != "" {
				loc, err := time.LoadLocation(tc.tz)
				if err != nil {
					t.Skipf("no zone data: %v", err)
				}
				env.Timezone = loc
			}
			got, err := contactql.Matches(env, assets, contact, tc.query)
			if err != nil {
				t.Fatalf("Matches(%q): %v", tc.query, err)
			}
			if got != tc.want {
				t.Errorf("Matches(%q) = %v, want %v", tc.query, got, tc.want)
			}
		})
	}
}

func TestEvaluateNeedsAssets(t *testing.T) {
	q, err := contactql.Parse(testEnv(false), `age > 3`, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = contactql.Evaluate(nil, mustContact(t, testContactJSON), q)
	if qe, ok := contactql.AsError(err); !ok || qe.Code != contactql.ErrUnresolved {
		t.Fatalf("Evaluate without assets: %v, want an unresolved error", err)
	}
}

func TestInGroup(t *testing.T) {
	tests := []struct {
		name, status, query string
		want                bool
	}{
		{"ActiveMatching", "active", `age > 18`, true},
		{"ActiveNotMatching", "active", `age < 18`, false},
		{"BlockedNeverMember", "blocked", `age > 18`, false},
		{"StoppedNeverMember", "stopped", `age > 18`, false},
		{"BrokenQueryHasNoMembers", "active", `xyz = 1`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustContact(t, testContactJSON)
			c.SetStatus(tc.status)
			q, err := contactql.Parse(testEnv(false), tc.query, testAssets())
			if err != nil {
				q = nil
			}
			if got := contactql.InGroup(c, q); got != tc.want {
				t.Errorf("InGroup = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReevaluate(t *testing.T) {
	assets := testAssets()
	assets.Groups = append(assets.Groups,
		&contactql.Group{UUID: "0d7d2f0e-3b7c-4f8a-9d43-7f1d5e0f6a11", Name: "Old", Query: "age > 60"},
		&contactql.Group{UUID: "5b2bd1c1-8d35-45d0-8d6f-3c4a8e3a1f22", Name: "Broken", Query: "nope = 1"},
	)
	smart := contactql.ParseSmartGroups(testEnv(false), assets.Groups, assets)
	if len(smart) != 3 || smart[2].Err == nil {
		t.Fatalf("ParseSmartGroups = %d groups, broken err %v", len(smart), smart[len(smart)-1].Err)
	}
	const inOldAndBroken = `{"uuid": "x", "status": "active", "created_on": "2020-01-01T00:00:00Z",
		"fields": {"age": {"text": "23", "number": 23}},
		"groups": [{"uuid": "b7cf0d83-f1c9-411c-96fd-c511a4cfa86d", "name": "Testers"},
			{"uuid": "0d7d2f0e-3b7c-4f8a-9d43-7f1d5e0f6a11", "name": "Old"},
			{"uuid": "5b2bd1c1-8d35-45d0-8d6f-3c4a8e3a1f22", "name": "Broken"}]}`
	added, removed := contactql.Reevaluate(mustContact(t, inOldAndBroken), smart)
	if len(added) != 1 || added[0].Name != "Adults" {
		t.Errorf("added = %v, want [Adults]", added)
	}
	if len(removed) != 2 || removed[0].Name != "Old" || removed[1].Name != "Broken" {
		t.Errorf("removed = %v, want [Old Broken]", removed)
	}
}
