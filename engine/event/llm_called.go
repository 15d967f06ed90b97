package event

import "careflow/flow"

// TypeLLMCalled is emitted when an LLM call succeeded.
const TypeLLMCalled = "llm_called"

// Tokens counts the tokens of an LLM call.
type Tokens struct {
	Input  int `json:"input"`
	Output int `json:"output"`
}

// LLMCalled is emitted when an LLM call succeeded.
type LLMCalled struct {
	Base
	LLM          *flow.LLMRef `json:"llm"`
	Instructions string       `json:"instructions"`
	Input        string       `json:"input"`
	Output       string       `json:"output"`
	Tokens       Tokens       `json:"tokens"`
	ElapsedMS    int          `json:"elapsed_ms"`
}

// NewLLMCalled builds the event.
func NewLLMCalled() *LLMCalled { return &LLMCalled{Base: base(TypeLLMCalled)} }

func init() { register(TypeLLMCalled, func() Event { return &LLMCalled{} }) }
