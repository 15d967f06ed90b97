package engine_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// plain copies of the types with custom JSON methods, so encoding/json's own output can be
// compared with the hand-written writers.
type plainSession engine.Session

// TestSessionJSON checks, on every runner fixture, that the session and contact writers produce
// what encoding/json produces for the same struct tags, and that reading the output back and
// writing it again changes nothing.
func TestSessionJSON(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/runner")
	files, _ := filepath.Glob(filepath.Join(dir, "*.*.json"))
	if len(files) == 0 {
		t.Fatal("no runner fixtures")
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			var tc struct {
				Contact json.RawMessage   `json:"contact"`
				Trigger json.RawMessage   `json:"trigger"`
				Call    *engine.Call      `json:"call"`
				Resumes []json.RawMessage `json:"resumes"`
			}
			data, _ := os.ReadFile(file)
			if err := json.Unmarshal(data, &tc); err != nil {
				t.Fatal(err)
			}
			assetsData, _ := os.ReadFile(filepath.Join(dir, strings.SplitN(name, ".", 2)[0]+".json"))
			assets, err := engine.ReadAssets(assetsData)
			if err != nil {
				t.Fatal(err)
			}
			mocks, _ := enginetest.NewMockWebhooks(nil)
			mocks.Fallback = &enginetest.MockResponse{Status: 200, Body: json.RawMessage(`"{}"`)}
			eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks})
			contact, err := engine.ReadContact(tc.Contact, assets)
			if err != nil {
				t.Fatal(err)
			}
			trigger, err := engine.ReadTrigger(tc.Trigger, assets)
			if err != nil {
				t.Fatal(err)
			}
			env := expr0(t)
			session, _, err := eng.Start(assets, env, contact, trigger, tc.Call)
			if err != nil {
				t.Fatal(err)
			}
			check := func() {
				t.Helper()
				fast, err := session.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				slow, err := json.Marshal((*plainSession)(session))
				if err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "session", fast, slow)
				back, err := eng.ReadSession(fast, assets, env, contact, tc.Call)
				if err != nil {
					t.Fatal(err)
				}
				again, _ := back.MarshalJSON()
				sameJSON(t, "session read back", fast, again)

				cfast, _ := contact.MarshalJSON()
				cback, err := engine.ReadContact(cfast, nil)
				if err != nil {
					t.Fatal(err)
				}
				cagain, _ := cback.MarshalJSON()
				sameJSON(t, "contact read back", cfast, cagain)
				session = back
			}
			check()
			for _, raw := range tc.Resumes {
				if session.Status != engine.SessionWaiting {
					break
				}
				resume, err := engine.ReadResume(raw)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := session.ResumeWith(resume); err != nil {
					t.Fatal(err)
				}
				check()
			}
		})
	}
}

func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: invalid JSON %s: %v", what, a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: invalid JSON %s: %v", what, b, err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("%s differs:\n%s\n%s", what, a, b)
	}
}

// TestEveryActionHasFixtures checks that each action type with an executor has a fixture file
// in the shared actions suite, so no type goes untested.
func TestEveryActionHasFixtures(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/actions")
	for _, typ := range engine.RegisteredActions() {
		if _, err := os.Stat(filepath.Join(dir, typ+".json")); err != nil {
			t.Errorf("action %s has no fixture file", typ)
		}
	}
}

func expr0(t *testing.T) *expr.Environment {
	t.Helper()
	env, err := expr.ParseEnvironment([]byte("{}"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return env
}
