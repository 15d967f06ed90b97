package services

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"careflow/engine"
)

// DefaultLLMTimeout bounds one completion; the call runs inside a sprint, so it must not hang.
const DefaultLLMTimeout = 30 * time.Second

// maxLLMResponse caps how much of an answer is read; a completion of 2,500 tokens is far less.
const maxLLMResponse = 1 << 20

// LLMEndpoint is where one LLM asset is served: any OpenAI-compatible chat completions API
// (OpenAI itself, Azure-style gateways, vLLM, Ollama, LiteLLM...).
type LLMEndpoint struct {
	// BaseURL is the API root the paths hang off, usually ending in /v1;
	// requests go to BaseURL + "/chat/completions".
	BaseURL string
	// APIKey is sent as a bearer token when set.
	APIKey string
	// Model is the provider's model name.
	Model string
	// MaxTokensField names the output cap: "max_completion_tokens" (the default, required by
	// OpenAI's reasoning models) or "max_tokens" for servers that only know the older name.
	MaxTokensField string
	// MaxOutputTokens, when set, lowers the engine's cap (mailroom caps by the LLM's own
	// configured limit).
	MaxOutputTokens int
	// Temperature is sent when set. The reference asks for ~0 so categorising is repeatable,
	// but some current models reject any value but their default, so nil leaves it out.
	Temperature *float64
	// Timeout defaults to DefaultLLMTimeout.
	Timeout time.Duration
}

// LLMs answers call_llm for one workspace, from its LLM asset UUID → endpoint settings.
type LLMs struct {
	endpoints map[string]LLMEndpoint
	client    *http.Client
	ctx       context.Context
}

// llmTransport is shared by every workspace. LLM endpoints are set by administrators, not by
// flow content, so they are not subject to the webhook address policy (a local model server
// on a private address is a normal set-up).
var llmTransport = &http.Transport{
	Proxy:               http.ProxyFromEnvironment,
	ForceAttemptHTTP2:   true,
	MaxIdleConns:        32,
	MaxIdleConnsPerHost: 8,
	IdleConnTimeout:     90 * time.Second,
	TLSHandshakeTimeout: 10 * time.Second,
}

// NewLLMs builds the LLM service for a workspace. A nil client uses a shared pooled one.
func NewLLMs(endpoints map[string]LLMEndpoint, client *http.Client) *LLMs {
	if client == nil {
		client = &http.Client{Transport: llmTransport}
	}
	return &LLMs{endpoints: endpoints, client: client, ctx: context.Background()}
}

// Bind returns a copy whose calls are cancelled with ctx (see Webhooks.Bind).
func (s *LLMs) Bind(ctx context.Context) *LLMs {
	c := *s
	c.ctx = ctx
	return &c
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatAnswer struct {
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
			Refusal string  `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// Complete sends the instructions as the system message and the input as the user message,
// and returns the first choice's text, trimmed as the reference does. Errors name the LLM
// and what went wrong; they never include the API key. An LLM without an endpoint gives an
// error wrapping ErrNotConfigured.
func (s *LLMs) Complete(llm *engine.LLMAsset, instructions, input string, maxOutputTokens int) (*engine.LLMResponse, error) {
	ep, ok := s.endpoints[llm.UUID]
	if !ok || ep.BaseURL == "" || ep.Model == "" {
		return nil, &notConfiguredError{msg: fmt.Sprintf("no LLM configured for %q (%s) in this workspace", llm.Name, llm.UUID)}
	}
	if ep.MaxOutputTokens > 0 && (maxOutputTokens <= 0 || ep.MaxOutputTokens < maxOutputTokens) {
		maxOutputTokens = ep.MaxOutputTokens
	}
	field := ep.MaxTokensField
	if field == "" {
		field = "max_completion_tokens"
	}
	msgs := []chatMessage{{Role: "system", Content: instructions}}
	// An empty user turn is rejected by some servers; the instructions alone are the prompt.
	if input != "" {
		msgs = append(msgs, chatMessage{Role: "user", Content: input})
	}
	payload := map[string]any{"model": ep.Model, "messages": msgs}
	if maxOutputTokens > 0 {
		payload[field] = maxOutputTokens
	}
	if ep.Temperature != nil {
		payload["temperature"] = *ep.Temperature
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("LLM %s: encode request: %w", llm.Name, err)
	}

	timeout := ep.Timeout
	if timeout <= 0 {
		timeout = DefaultLLMTimeout
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(ep.BaseURL, "/")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("LLM %s: invalid endpoint: %w", llm.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if ep.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+ep.APIKey)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("LLM %s: no answer within %s", llm.Name, timeout)
		}
		return nil, fmt.Errorf("LLM %s: request failed: %w", llm.Name, unwrapURLError(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLLMResponse))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("LLM %s: no answer within %s", llm.Name, timeout)
		}
		return nil, fmt.Errorf("LLM %s: read answer: %w", llm.Name, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("LLM %s: HTTP %d: %s", llm.Name, resp.StatusCode, apiErrorMessage(raw))
	}
	return parseAnswer(llm.Name, raw)
}

// parseAnswer reads the first choice and the token usage.
func parseAnswer(name string, raw []byte) (*engine.LLMResponse, error) {
	var a chatAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("LLM %s: malformed answer: %w", name, err)
	}
	if len(a.Choices) == 0 {
		return nil, fmt.Errorf("LLM %s: malformed answer: no choices", name)
	}
	c := a.Choices[0]
	if c.Message.Refusal != "" {
		return nil, fmt.Errorf("LLM %s refused: %s", name, c.Message.Refusal)
	}
	out := ""
	if c.Message.Content != nil {
		out = strings.TrimSpace(*c.Message.Content)
	}
	if out == "" {
		if c.FinishReason == "length" {
			// reasoning models can spend the whole budget before writing anything
			return nil, fmt.Errorf("LLM %s: ran out of output tokens before answering", name)
		}
		return nil, fmt.Errorf("LLM %s: empty answer", name)
	}
	return &engine.LLMResponse{Output: out, InputTokens: a.Usage.PromptTokens, OutputTokens: a.Usage.CompletionTokens}, nil
}

// apiErrorMessage pulls the message out of an OpenAI-style error body, or shows the start of
// whatever came back.
func apiErrorMessage(raw []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.Join(strings.Fields(string(raw)), " ")
	if s == "" {
		return "no details"
	}
	return engine.TruncateEllipsis(s, 200)
}

// unwrapURLError drops net/http's "Post \"<url>\": " prefix; the flow's error event need not
// show the endpoint.
func unwrapURLError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

var _ engine.LLM = (*LLMs)(nil)
