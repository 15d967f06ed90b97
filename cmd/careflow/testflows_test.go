package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"careflow/internal/sharedpath"
)

// TestFlowTests runs `careflow test` on scripts against the runner's two_questions flow: a
// script whose expectations hold passes with exit status 0, one that expects the wrong things
// fails with status 1 and says what differed.
func TestFlowTests(t *testing.T) {
	assets := sharedpath.ForTest(t, "conformance/goflow/runner/two_questions.json")
	tests := []struct {
		name     string
		expect   string
		wantCode int
		wantOut  []string
	}{
		{
			name: "HappyPathPasses",
			expect: `{"sprints": [{"msgs": ["/^Hi Ann! What is your favorite color/"], "status": "waiting"},
			                      {"msgs": ["Blue it is! What is your favorite soda? (pepsi/coke)"]},
			                      {"msgs": ["/^Great, you are done and like Coke!/"], "status": "completed"}],
			          "results": {"favorite_color": {"value": "blue", "category": "Blue"}, "soda": {"value": "Coke", "category": "Coke"}},
			          "status": "completed"}`,
			wantCode: 0,
			wantOut:  []string{"1 passed, 0 failed"},
		},
		{
			name:     "WrongResultFails",
			expect:   `{"results": {"favorite_color": {"value": "red", "category": "Red"}}, "status": "waiting"}`,
			wantCode: 1,
			wantOut:  []string{"--- FAIL:", `result favorite_color: want "red" / "Red", got "blue" / "Blue"`, "status: want waiting, got completed", "0 passed, 1 failed"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script := map[string]any{
				"assets":  assets,
				"flow":    "Two Questions",
				"contact": map[string]any{"name": "Ann", "urn": "tel:+250788000001", "language": "eng"},
				"conversations": []any{map[string]any{
					"name": "blue then coke", "inputs": []string{"I like blue!", "Coke"}, "expect": json.RawMessage(tc.expect),
				}},
			}
			path := filepath.Join(t.TempDir(), "script.json")
			data, _ := json.Marshal(script)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := Main(context.Background(), []string{"test", path}, &out, &errOut)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.wantCode, out.String(), errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestFlowTestsNameFileAndLineOfBadScript(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(path, []byte("{\n  \"flow\": \"x\",\n  \"conversations\": [}\n"), 0o600)
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"test", path}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if want := "FAIL " + path + ":3:21: invalid character '}' looking for beginning of value"; !strings.Contains(out.String(), want) {
		t.Fatalf("output %q lacks %q", out.String(), want)
	}
}
