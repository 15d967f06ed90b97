package contactql_test

import (
	"fmt"
	"time"

	"careflow/contactql"
	"careflow/expr"
)

func ExampleParse() {
	assets := &contactql.Assets{Fields: []*contactql.Field{
		{Key: "age", Name: "Age", Type: contactql.TypeNumber},
		{Key: "gender", Name: "Gender", Type: contactql.TypeText},
	}}
	q, err := contactql.Parse(expr.NewEnvironment(nil), `age>30 gender=M OR tel has 1800`, assets)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	fmt.Println(q.Short())
	in := contactql.Inspect(q)
	fmt.Println(in.Schemes, len(in.Fields), in.AllowAsGroup)

	_, err = contactql.Parse(expr.NewEnvironment(nil), `age ~ 30`, assets)
	qe, _ := contactql.AsError(err)
	fmt.Println(qe.Code, qe.Message)
	// Output:
	// (fields.age > 30 AND fields.gender = "M") OR urns.tel ~ 1800
	// (age > 30 AND gender = "M") OR tel ~ 1800
	// [tel] 2 true
	// unsupported_contains contains conditions can only be used with name or URN values
}

// engineContact stands for a host type whose exported fields share the interface's method
// names (as the engine's Contact does); a thin wrapper implements contactql.Contact.
type engineContact struct {
	UUID, Name, Language, Status string
	CreatedOn                    time.Time
	URNs                         []string
	Fields                       map[string]*contactql.FieldValue
}

type queryContact struct{ c *engineContact }

func (q queryContact) UUID() string                  { return q.c.UUID }
func (q queryContact) ID() int64                     { return 0 }
func (q queryContact) Name() string                  { return q.c.Name }
func (q queryContact) Language() string              { return q.c.Language }
func (q queryContact) Status() string                { return q.c.Status }
func (q queryContact) CreatedOn() time.Time          { return q.c.CreatedOn }
func (q queryContact) LastSeenOn() (time.Time, bool) { return time.Time{}, false }
func (q queryContact) Groups() []contactql.GroupRef  { return nil }
func (q queryContact) OpenTickets() int              { return 0 }
func (q queryContact) URNs() []contactql.URN {
	var out []contactql.URN
	for _, s := range q.c.URNs {
		if u, ok := contactql.ParseURN(s); ok {
			out = append(out, u)
		}
	}
	return out
}
func (q queryContact) FieldValue(key string) (contactql.FieldValue, bool) {
	if v := q.c.Fields[key]; v != nil {
		return *v, true
	}
	return contactql.FieldValue{}, false
}

func ExampleReevaluate() {
	env := expr.NewEnvironment(nil)
	assets := &contactql.Assets{
		Fields: []*contactql.Field{{Key: "gender", Name: "Gender", Type: contactql.TypeText}},
		Groups: []*contactql.Group{
			{UUID: "f10d4625-2e10-4bfb-9831-4ad0f3d86dcf", Name: "Males", Query: `gender = "M"`},
			{UUID: "0e3ed94f-b358-43fd-925c-33b1fa87ba9d", Name: "Tel with 1800", Query: `tel ~ 1800`},
			{UUID: "655f5648-7d2b-4e14-bc92-23d102a7a0fd", Name: "Broken", Query: `xyz = X`},
		},
	}
	smart := contactql.ParseSmartGroups(env, assets.Groups, assets) // once per session
	contact := queryContact{&engineContact{
		UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Name: "Joe", Status: "active",
		URNs:   []string{"tel:+18005555777"},
		Fields: map[string]*contactql.FieldValue{"gender": {Text: "m"}},
	}}
	added, removed := contactql.Reevaluate(contact, smart) // after every change
	fmt.Println(added, removed, smart[2].Err)
	// Output: [{f10d4625-2e10-4bfb-9831-4ad0f3d86dcf Males} {0e3ed94f-b358-43fd-925c-33b1fa87ba9d Tel with 1800}] [] can't resolve 'xyz' to attribute, scheme or field
}
