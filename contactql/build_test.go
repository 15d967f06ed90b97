package contactql_test

import (
	"testing"

	"careflow/contactql"
)

func TestBuild(t *testing.T) {
	user, err := contactql.Parse(testEnv(false), `age > 18 or gender = f`, testAssets())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		root contactql.Node
		want string
		code string
	}{
		{
			name: "FlowStartRecipients",
			root: contactql.NewCombination(contactql.And,
				contactql.NewCombination(contactql.Or,
					contactql.NewCondition(contactql.PropertyAttribute, "group", contactql.OpEqual, "Testers"),
					contactql.NewCondition(contactql.PropertyAttribute, "uuid", contactql.OpEqual, "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3"),
					user.Root(),
				),
				contactql.NewCondition(contactql.PropertyAttribute, "status", contactql.OpEqual, "active"),
				contactql.NewCondition(contactql.PropertyAttribute, "history", contactql.OpNotEqual, "Registration"),
			),
			want: `(group = "Testers" OR uuid = "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3" OR fields.age > 18 OR fields.gender = "f") AND status = "active" AND history != "Registration"`,
		},
		{
			name: "NilPartsSkipped",
			root: contactql.NewCombination(contactql.And, nil, (*contactql.Condition)(nil),
				contactql.NewCondition(contactql.PropertyField, "AGE", contactql.OpGreater, "3")),
			want: `fields.age > 3`,
		},
		{
			name: "EmptyIsAnError",
			root: contactql.NewCombination(contactql.Or, contactql.NewCombination(contactql.And)),
			code: contactql.ErrSyntax,
		},
		{
			name: "ValidatedLikeParsed",
			root: contactql.NewCondition(contactql.PropertyAttribute, "group", contactql.OpEqual, "Nobody"),
			code: contactql.ErrInvalidGroup,
		},
		{
			name: "DepthBounded",
			root: nest(150),
			code: contactql.ErrTooComplex,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := contactql.Build(testEnv(false), tc.root, testAssets())
			if tc.code != "" {
				if qe, ok := contactql.AsError(err); !ok || qe.Code != tc.code {
					t.Fatalf("Build error = %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.String() != tc.want {
				t.Errorf("Build = %s, want %s", q.String(), tc.want)
			}
		})
	}
}

// nest wraps a condition in n alternating combinations.
func nest(n int) contactql.Node {
	var node contactql.Node = contactql.NewCondition(contactql.PropertyAttribute, "name", contactql.OpEqual, "x")
	for i := 0; i < n; i++ {
		op := contactql.And
		if i%2 == 1 {
			op = contactql.Or
		}
		node = contactql.NewCombination(op, node, contactql.NewCondition(contactql.PropertyAttribute, "name", contactql.OpEqual, "y"))
	}
	return node
}
