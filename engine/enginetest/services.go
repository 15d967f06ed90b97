package enginetest

import (
	"errors"
	"strings"
	"time"

	"careflow/engine"

	"github.com/shopspring/decimal"
)

// MockEmail accepts every email unless Err is set.
type MockEmail struct{ Err string }

// Send pretends to send.
func (m *MockEmail) Send(to []string, subject, body string) error {
	if m.Err != "" {
		return errors.New(m.Err)
	}
	return nil
}

// MockLLM answers like the reference test LLM (see the conformance README §3.4) and offers
// Prompts as its named prompts, as the reference's test engine configures them.
type MockLLM struct {
	Clock   engine.Clock
	Prompts engine.PromptSet
}

// RunnerPrompts are the prompts the reference's runner tests configure (goflow's
// test/runner_test.go; its other tests use shorter ones, which the actions and routers
// fixtures state in their _harness.json).
var RunnerPrompts = engine.PromptSet{
	"categorize": "Categorize the following text into one of the following categories and only return that category or <CANT> if you can't: {{ .arg1 }}",
}

// Prompt returns one of the mock's prompts.
func (m *MockLLM) Prompt(name string) (string, bool) { return m.Prompts.Prompt(name) }

var _ engine.LLMPrompts = (*MockLLM)(nil)

var leet = strings.NewReplacer("a", "4", "A", "4", "b", "8", "B", "8", "e", "3", "E", "3", "g", "9", "G", "9",
	"i", "1", "I", "1", "l", "1", "L", "1", "o", "0", "O", "0", "s", "5", "S", "5", "t", "7", "T", "7")

// Complete answers an LLM call. Like the reference's test service it never reads the clock:
// the action's own two reads make elapsed_ms one tick, and a third would shift every later
// timestamp. (Clock is kept for callers that set it.)
func (m *MockLLM) Complete(llm *engine.LLMAsset, instructions, input string, max int) (*engine.LLMResponse, error) {
	out := ""
	switch {
	case strings.HasPrefix(input, `\error `):
		return nil, errors.New(strings.TrimPrefix(input, `\error `))
	case strings.HasPrefix(input, `\return `):
		out = strings.TrimPrefix(input, `\return `)
	case strings.HasPrefix(instructions, "Categorize"):
		f := strings.Fields(instructions)
		if len(f) > 0 {
			out = strings.TrimSuffix(f[len(f)-1], "]")
		}
	case strings.HasPrefix(instructions, "Translate"):
		if input == "error" {
			return nil, errors.New("unable to translate")
		}
		if input == "untranslatable" {
			out = "<CANT>"
		} else {
			out = leet.Replace(input)
		}
	default:
		out = "You asked:\n\n" + instructions + "\n\n" + input
	}
	return &engine.LLMResponse{Output: out, InputTokens: 45, OutputTokens: 78}, nil
}

// MockAirtime transfers in RWF like the reference test airtime service.
type MockAirtime struct{ Random engine.Random }

// Transfer pretends to transfer airtime.
func (m *MockAirtime) Transfer(sender, recipient string, amounts map[string]decimal.Decimal) (*engine.AirtimeTransfer, error) {
	if strings.Contains(recipient, "666") {
		return nil, errors.New("invalid recipient number")
	}
	amount, ok := amounts["RWF"]
	if !ok {
		return nil, errors.New("no amount configured for transfers in RWF")
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	id := make([]byte, 10)
	for i := range id {
		n := 0
		if m.Random != nil {
			n = m.Random.IntN(len(letters))
		}
		id[i] = letters[n]
	}
	return &engine.AirtimeTransfer{ExternalID: string(id), Currency: "RWF", Amount: amount, HTTPLogs: []*engine.AirtimeLog{{
		URL: "http://send.airtime.com", StatusCode: 200,
		Request:  "GET / HTTP/1.1\r\nHost: send.airtime.com\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n",
		Response: "HTTP/1.0 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}", Status: "success",
		CreatedOn: time.Date(2019, 10, 16, 13, 59, 30, 123456789, time.UTC),
	}}}, nil
}

// Start is the first tick of the reference fixtures' clock.
var Start = time.Date(2025, 5, 4, 12, 30, 45, 123456789, time.UTC)

// Config describes a deterministic engine for fixtures.
type Config struct {
	Mocks       *MockWebhooks
	EmailError  string
	Sendable    func(string) string
	ClaimURN    func(string) bool
	Options     engine.Options
	FrozenClock *time.Time
	// LLMPrompts are the mock LLM's named prompts; nil means RunnerPrompts.
	LLMPrompts map[string]string
}

// NewEngine builds an engine with a ticking clock from Start, seeded UUIDs and randomness and
// the mock services.
func NewEngine(cfg Config) *engine.Engine {
	var clock *TickingClock
	if cfg.FrozenClock != nil {
		clock = NewTickingClock(*cfg.FrozenClock, 0)
	} else {
		clock = NewTickingClock(Start, time.Second)
	}
	random := NewSeededRandom(123456)
	mocks := cfg.Mocks
	if mocks == nil {
		mocks, _ = NewMockWebhooks(nil)
	}
	mocks.Clock = clock
	prompts := RunnerPrompts
	if cfg.LLMPrompts != nil {
		prompts = cfg.LLMPrompts
	}
	svc := engine.Services{
		Clock: clock, UUIDs: NewSeededUUIDs(123456, clock), Random: random,
		Webhooks: mocks, Email: &MockEmail{Err: cfg.EmailError}, LLM: &MockLLM{Clock: clock, Prompts: prompts},
		Airtime: &MockAirtime{Random: random}, CheckSendable: cfg.Sendable, ClaimURN: cfg.ClaimURN,
	}
	return engine.New(svc, cfg.Options)
}
