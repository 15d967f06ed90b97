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

// BenchmarkTwoQuestions runs the runner's two_questions flow with two replies per session,
// optionally storing the session as JSON between sprints.
func BenchmarkTwoQuestions(b *testing.B) {
	for _, persist := range []bool{false, true} {
		b.Run(fmt.Sprintf("persist=%v", persist), func(b *testing.B) {
			path, err := sharedpath.Path("conformance/goflow/runner/two_questions.json")
			if err != nil {
				b.Skip(err)
			}
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
			eng := enginetest.NewEngine(enginetest.Config{})
			env := expr.NewEnvironment(nil)
			trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Now()}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: "Contact", Language: "eng", Status: engine.StatusActive,
					URNs: []*engine.URN{{Scheme: "tel", Path: "+250700000001"}}, Fields: map[string]*engine.FieldValue{}}
				session, _, err := eng.Start(assets, env, contact, trigger, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, text := range []string{"I like blue!", "Coke"} {
					if persist {
						sb, _ := json.Marshal(session)
						if session, err = eng.ReadSession(sb, assets, env, contact, nil); err != nil {
							b.Fatal(err)
						}
					}
					msg := &event.MsgReceived{Base: event.Base{UUID: eng.UUIDs.NewV7(), EventType: event.TypeMsgReceived},
						Msg: &event.MsgIn{URN: "tel:+250700000001", Text: text}}
					if _, err := session.ResumeWith(&engine.Resume{Type: "msg", Parsed: msg}); err != nil {
						b.Fatal(err)
					}
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
	path, err := sharedpath.Path("conformance/goflow/runner/two_questions.json")
	if err != nil {
		b.Skip(err)
	}
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
	eng := enginetest.NewEngine(enginetest.Config{})
	env := expr.NewEnvironment(nil)
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Now()}
	contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: "Contact", Language: "eng", Status: engine.StatusActive,
		URNs: []*engine.URN{{Scheme: "tel", Path: "+250700000001"}}, Fields: map[string]*engine.FieldValue{}}
	session, _, err := eng.Start(assets, env, contact, trigger, nil)
	if err != nil {
		b.Fatal(err)
	}
	msg := &event.MsgReceived{Base: event.Base{UUID: eng.UUIDs.NewV7(), EventType: event.TypeMsgReceived},
		Msg: &event.MsgIn{URN: "tel:+250700000001", Text: "I like blue!"}}
	if _, err := session.ResumeWith(&engine.Resume{Type: "msg", Parsed: msg}); err != nil {
		b.Fatal(err)
	}
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
		c2, err := engine.ReadContact(cb, assets)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := eng.ReadSession(sb, assets, env, c2, nil); err != nil {
			b.Fatal(err)
		}
	}
}
