package services

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"careflow/engine"
)

var gpt = &engine.LLMAsset{UUID: "14115c03-b4c5-49e2-b9ac-390c43e9d7ce", Name: "GPT", Type: "openai", Roles: []string{"engine"}}

// fakeLLM is an OpenAI-compatible chat completions server on loopback that answers with a
// fixed status and body and records the last request.
type fakeLLM struct {
	*httptest.Server
	mu      sync.Mutex
	path    string
	auth    string
	request map[string]any
}

func newFakeLLM(t *testing.T, status int, answer string, block <-chan struct{}) *fakeLLM {
	t.Helper()
	f := &fakeLLM{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.path, f.auth = r.URL.Path, r.Header.Get("Authorization")
		f.request = nil
		_ = json.Unmarshal(b, &f.request)
		f.mu.Unlock()
		if block != nil {
			select {
			case <-block:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(f.Close)
	return f
}

const okAnswer = `{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-test",
	"choices":[{"index":0,"message":{"role":"assistant","content":"  Flights \n","refusal":null},"finish_reason":"stop"}],
	"usage":{"prompt_tokens":45,"completion_tokens":3,"total_tokens":48}}`

func TestLLMComplete(t *testing.T) {
	t.Parallel()
	f := newFakeLLM(t, 200, okAnswer, nil)
	svc := NewLLMs(map[string]LLMEndpoint{gpt.UUID: {BaseURL: f.URL + "/v1/", APIKey: "sk-test", Model: "gpt-test"}}, nil).Bind(t.Context())

	resp, err := svc.Complete(gpt, "Categorize", "I need a flight", 2500)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Output != "Flights" || resp.InputTokens != 45 || resp.OutputTokens != 3 {
		t.Errorf("unexpected response %+v", resp)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.path != "/v1/chat/completions" || f.auth != "Bearer sk-test" {
		t.Errorf("request went to %q with auth %q", f.path, f.auth)
	}
	got, _ := json.Marshal(f.request)
	want := `{"max_completion_tokens":2500,"messages":[{"content":"Categorize","role":"system"},{"content":"I need a flight","role":"user"}],"model":"gpt-test"}`
	if string(got) != want {
		t.Errorf("request body\n got %s\nwant %s", got, want)
	}
}

func TestLLMEndpointOptions(t *testing.T) {
	t.Parallel()
	f := newFakeLLM(t, 200, okAnswer, nil)
	zero := 0.0
	svc := NewLLMs(map[string]LLMEndpoint{gpt.UUID: {BaseURL: f.URL, Model: "llama", MaxTokensField: "max_tokens",
		MaxOutputTokens: 100, Temperature: &zero}}, nil)
	if _, err := svc.Complete(gpt, "Summarize", "", 2500); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	got, _ := json.Marshal(f.request)
	want := `{"max_tokens":100,"messages":[{"content":"Summarize","role":"system"}],"model":"llama","temperature":0}`
	if string(got) != want || f.auth != "" {
		t.Errorf("request body\n got %s\nwant %s (auth %q)", got, want, f.auth)
	}
}

func TestLLMErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		answer string
		want   string
	}{
		{"ServerError", 500, `{"error":{"message":"The server had an error","type":"server_error"}}`, "LLM GPT: HTTP 500: The server had an error"},
		{"ServerErrorNotJSON", 502, "<html>Bad   gateway</html>", "LLM GPT: HTTP 502: <html>Bad gateway</html>"},
		{"MalformedJSON", 200, `{"choices":[`, "LLM GPT: malformed answer"},
		{"NoChoices", 200, `{"choices":[]}`, "LLM GPT: malformed answer: no choices"},
		{"NullContent", 200, `{"choices":[{"message":{"content":null},"finish_reason":"stop"}]}`, "LLM GPT: empty answer"},
		{"OutOfTokens", 200, `{"choices":[{"message":{"content":""},"finish_reason":"length"}]}`, "ran out of output tokens"},
		{"Refusal", 200, `{"choices":[{"message":{"content":null,"refusal":"I can't help with that"}}]}`, "LLM GPT refused: I can't help with that"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeLLM(t, tc.status, tc.answer, nil)
			svc := NewLLMs(map[string]LLMEndpoint{gpt.UUID: {BaseURL: f.URL, APIKey: "sk-secret", Model: "m"}}, nil)
			_, err := svc.Complete(gpt, "x", "y", 10)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "sk-secret") || strings.Contains(err.Error(), f.URL) {
				t.Errorf("error leaks the key or endpoint: %v", err)
			}
		})
	}
}

func TestLLMTimeout(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	f := newFakeLLM(t, 200, okAnswer, block)
	t.Cleanup(func() { close(block) })
	svc := NewLLMs(map[string]LLMEndpoint{gpt.UUID: {BaseURL: f.URL, Model: "m", Timeout: 100 * time.Millisecond}}, nil)
	_, err := svc.Complete(gpt, "x", "y", 10)
	if err == nil || err.Error() != "LLM GPT: no answer within 100ms" {
		t.Fatalf("got %v, want a timeout error", err)
	}
}

func TestLLMNotConfigured(t *testing.T) {
	t.Parallel()
	for name, eps := range map[string]map[string]LLMEndpoint{
		"NoEndpoints":    nil,
		"OtherLLM":       {"other": {BaseURL: "http://127.0.0.1:1", Model: "m"}},
		"MissingBaseURL": {gpt.UUID: {Model: "m"}},
	} {
		_, err := NewLLMs(eps, nil).Complete(gpt, "x", "y", 10)
		if !errors.Is(err, ErrNotConfigured) || !strings.HasPrefix(err.Error(), `no LLM configured for "GPT"`) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestPrompts(t *testing.T) {
	t.Parallel()
	p := Prompts()
	for _, name := range []string{"categorize", "translate", "translate_unknown_from"} {
		src, ok := p[name]
		if !ok {
			t.Fatalf("missing prompt %s", name)
		}
		tpl, err := template.New(name).Option("missingkey=error").Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var b strings.Builder
		if err := tpl.Execute(&b, map[string]string{"arg1": "[Flights, Hotels]", "arg2": "fra"}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(b.String(), "<CANT>") {
			t.Errorf("%s should tell the model how to decline", name)
		}
	}
	// Categories go last, so the reference's echoing test model answers with the last one.
	if !strings.HasSuffix(p["categorize"], "{{ .arg1 }}") {
		t.Error("categorize should end with its categories")
	}
	p["categorize"] = "changed"
	if Prompts()["categorize"] == "changed" {
		t.Error("Prompts must return a copy")
	}
}
