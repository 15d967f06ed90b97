package contactql_test

import (
	"testing"

	"careflow/contactql"
)

func BenchmarkParse(b *testing.B) {
	env, assets := testEnv(false), testAssets()
	for b.Loop() {
		if _, err := contactql.Parse(env, `(age > 18 AND gender = "female") OR (tel ~ 2065 AND created_on >= 01-01-2020)`, assets); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	env, assets := testEnv(false), testAssets()
	q, err := contactql.Parse(env, `(age > 18 AND gender = "female") OR (tel ~ 2065 AND created_on >= 01-01-2020)`, assets)
	if err != nil {
		b.Fatal(err)
	}
	contact := mustContact(b, testContactJSON)
	for b.Loop() {
		if _, err := contactql.Evaluate(env, contact, q); err != nil {
			b.Fatal(err)
		}
	}
}
