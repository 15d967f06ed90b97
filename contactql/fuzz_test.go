package contactql_test

import (
	"strings"
	"testing"

	"careflow/contactql"
)

// FuzzParse checks that any text either parses, with a canonical form that parses back to
// itself and can be evaluated, or fails with a query error; never a panic, and never a stack
// deeper than the nesting limit allows.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`age > 30 AND gender = "M"`, `bob jones or ann`, `(a OR (b AND c)) d`, `tel ~ 1800`,
		`name = "x\"y"`, `"unterminated`, `fields.age >= 1.5`, `urns.tel = ""`, `+1 (206) 555-1212`,
		`created_on <= 2017-12-31`, `group = Testers`, `((((`, `))`, `a = b = c`, `is is is`,
		`language=eng`, `xyz.k = 1`, `"\"A`, `name = "a\\" OR b`, `名前 ~ 太郎`, "name ~ \"\\\"\"", strings.Repeat("(", 120),
	} {
		f.Add(seed)
	}
	assets := testAssets()
	contact := mustContact(f, testContactJSON)
	f.Fuzz(func(t *testing.T, text string) {
		for _, redact := range []bool{false, true} {
			env := testEnv(redact)
			q, err := contactql.Parse(env, text, assets)
			if err != nil {
				if _, ok := contactql.AsError(err); !ok {
					t.Fatalf("Parse(%q) returned a non-query error %v", text, err)
				}
				continue
			}
			canonical := q.String()
			again, err := contactql.Parse(env, canonical, assets)
			if err != nil {
				t.Fatalf("canonical %q of %q doesn't parse: %v", canonical, text, err)
			}
			if !redact && again.String() != canonical {
				t.Fatalf("canonical %q of %q reparses as %q", canonical, text, again.String())
			}
			if _, err := contactql.Evaluate(env, contact, q); err != nil {
				t.Fatalf("Evaluate(%q): %v", text, err)
			}
			contactql.Inspect(q)
			_ = q.Short()
		}
	})
}
