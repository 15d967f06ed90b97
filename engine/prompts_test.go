package engine_test

import (
	"strings"
	"testing"
	"time"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/expr"
)

// recordingLLM answers every call with "Hotels" and keeps the instructions it was given; it
// offers the prompts RapidPro ships, as a runtime's LLM service would.
type recordingLLM struct {
	engine.PromptSet
	instructions []string
}

func (l *recordingLLM) Complete(llm *engine.LLMAsset, instructions, input string, max int) (*engine.LLMResponse, error) {
	l.instructions = append(l.instructions, instructions)
	return &engine.LLMResponse{Output: "Hotels", InputTokens: 1, OutputTokens: 1}, nil
}

// callLLMFlow sends what prompt("categorize") gives to the LLM through call_llm.
const callLLMFlow = `{"llms": [{"uuid": "1c06c884-39dd-4ce4-ad9f-9a01cbe6c000", "name": "Claude", "type": "anthropic", "roles": ["engine"]}],
 "flows": [{"uuid": "5a3b4c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1f", "name": "Sort", "spec_version": "14.4.2", "language": "eng",
 "type": "messaging", "nodes": [{"uuid": "11111111-0000-4000-8000-0000000000a1", "actions": [
  {"type": "call_llm", "uuid": "3cd8f2db-8429-462e-ab93-8041dd23abf1", "llm": {"uuid": "1c06c884-39dd-4ce4-ad9f-9a01cbe6c000", "name": "Claude"},
   "instructions": "@(prompt(\"categorize\", array(\"Flights\", \"Hotels\")))", "input": "book me a room", "output_local": "_llm_output"}],
  "exits": [{"uuid": "33333333-0000-4000-8000-0000000000a1"}]}]}]}`

func runCallLLM(t *testing.T, llm engine.LLM, opts engine.Options) {
	t.Helper()
	assets, err := engine.ReadAssets([]byte(callLLMFlow))
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	base := enginetest.NewEngine(enginetest.Config{})
	svc := base.Services
	svc.LLM = llm
	eng := engine.New(svc, opts)
	contact := &engine.Contact{UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Status: engine.StatusActive, Fields: map[string]*engine.FieldValue{}}
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, _, err := eng.Start(assets, expr.NewEnvironment(nil), contact, trigger, nil); err != nil {
		t.Fatal(err)
	}
}

func TestPromptsComeFromLLMService(t *testing.T) {
	t.Run("RapidProCategorize", func(t *testing.T) {
		llm := &recordingLLM{PromptSet: engine.RapidProPrompts}
		runCallLLM(t, llm, engine.Options{})
		want := "Categorize the input text into one of the following categories: [Flights, Hotels].\n" +
			"Return only the name of the most appropriate category.\nReturn \"<CANT>\" if you can't categorize it."
		if len(llm.instructions) != 1 || llm.instructions[0] != want {
			t.Errorf("instructions %q, want %q", llm.instructions, want)
		}
	})
	t.Run("OptionsOverride", func(t *testing.T) {
		llm := &recordingLLM{PromptSet: engine.RapidProPrompts}
		runCallLLM(t, llm, engine.Options{Prompts: map[string]string{"categorize": "Pick one of {{ .arg1 }}"}})
		if len(llm.instructions) != 1 || llm.instructions[0] != "Pick one of [Flights, Hotels]" {
			t.Errorf("instructions %q", llm.instructions)
		}
	})
	t.Run("ServiceWithoutPrompts", func(t *testing.T) {
		llm := &recordingLLM{}
		runCallLLM(t, llm, engine.Options{})
		// prompt() is an error without prompts: nothing of a categorize prompt reaches the LLM
		for _, in := range llm.instructions {
			if strings.Contains(in, "Categorize") {
				t.Errorf("a prompt was found without any configured: %q", in)
			}
		}
	})
}

// TestRapidProPromptsParse: every shipped prompt is a valid template naming its arguments.
func TestRapidProPromptsParse(t *testing.T) {
	for name, src := range engine.RapidProPrompts {
		if !strings.Contains(src, "{{ .") {
			t.Errorf("%s has no argument", name)
		}
	}
	for _, name := range []string{"categorize", "translate", "translate_unknown_from"} {
		if _, ok := engine.PromptSet(engine.RapidProPrompts).Prompt(name); !ok {
			t.Errorf("%s missing", name)
		}
	}
}
