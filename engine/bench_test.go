package engine_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// twoQuestions is what the benchmarks run: the runner's two_questions flow, started for a new
// contact and resumed with a reply at a time.
type twoQuestions struct {
	eng     *engine.Engine
	assets  *engine.Assets
	env     *expr.Environment
	trigger *engine.Trigger
}

func newTwoQuestions(b *testing.B) *twoQuestions {
	path := sharedpath.ForTest(b, "conformance/goflow/runner/two_questions.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	assets, err := engine.ReadAssets(data)
	if err != nil {
		b.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		b.Fatal(err)
	}
	return &twoQuestions{eng: enginetest.NewEngine(enginetest.Config{}), assets: assets, env: expr.NewEnvironment(nil),
		trigger: &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Now()}}
}

// start starts a session for a new contact.
func (q *twoQuestions) start(b *testing.B) (*engine.Session, *engine.Contact) {
	contact := &engine.Contact{UUID: q.eng.UUIDs.NewV4(), Name: "Contact", Language: "eng", Status: engine.StatusActive,
		URNs: []*engine.URN{{Scheme: "tel", Path: "+250700000001"}}, Fields: map[string]*engine.FieldValue{}}
	session, _, err := q.eng.Start(q.assets, q.env, contact, q.trigger, nil)
	if err != nil {
		b.Fatal(err)
	}
	return session, contact
}

// reply resumes the session with a message from the contact.
func (q *twoQuestions) reply(b *testing.B, session *engine.Session, text string) {
	msg := &event.MsgReceived{Base: event.Base{UUID: q.eng.UUIDs.NewV7(), EventType: event.TypeMsgReceived},
		Msg: &event.MsgIn{URN: "tel:+250700000001", Text: text}}
	if _, err := session.ResumeWith(&engine.Resume{Type: "msg", Parsed: msg}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTwoQuestions runs the runner's two_questions flow with two replies per session,
// optionally storing the session as JSON between sprints.
func BenchmarkTwoQuestions(b *testing.B) {
	for _, persist := range []bool{false, true} {
		b.Run(fmt.Sprintf("persist=%v", persist), func(b *testing.B) {
			q := newTwoQuestions(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				session, contact := q.start(b)
				for _, text := range []string{"I like blue!", "Coke"} {
					if persist {
						sb, _ := json.Marshal(session)
						var err error
						if session, err = q.eng.ReadSession(sb, q.assets, q.env, contact, nil); err != nil {
							b.Fatal(err)
						}
					}
					q.reply(b, session, text)
				}
				if session.Status != engine.SessionCompleted {
					b.Fatalf("session %s", session.Status)
				}
			}
		})
	}
}

// BenchmarkSessionJSON writes and reads back a waiting session of the two_questions flow and
// its contact, as the runtime does between sprints.
func BenchmarkSessionJSON(b *testing.B) {
	q := newTwoQuestions(b)
	session, contact := q.start(b)
	q.reply(b, session, "I like blue!")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sb, err := session.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		cb, err := contact.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		c2, err := engine.ReadContact(cb, q.assets)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := q.eng.ReadSession(sb, q.assets, q.env, c2, nil); err != nil {
			b.Fatal(err)
		}
	}
}
