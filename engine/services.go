package engine

import (
	"time"

	"github.com/shopspring/decimal"
)

// Clock is the engine's source of "now".
type Clock interface{ Now() time.Time }

// UUIDs makes new UUIDs: version 7 for sessions, runs, events and tickets, version 4 for
// sprints and contacts.
type UUIDs interface {
	NewV4() string
	NewV7() string
}

// Random supplies random numbers (random router, rand()).
type Random interface {
	Float64() float64
	IntN(n int) int
}

// WebhookRequest describes an HTTP call the engine wants made.
type WebhookRequest struct {
	Method  string
	URL     string
	Headers [][2]string // in the order the action gives them
	Body    string
}

// WebhookTrace describes what happened when a WebhookRequest was made.
type WebhookTrace struct {
	// StatusCode is the HTTP status, 0 when no response was received.
	StatusCode int
	// Headers are the response headers.
	Headers map[string]string
	// Body is the response body.
	Body []byte
	// Request and Response are the raw exchanges as text; RequestSize and ResponseSize their
	// untrimmed lengths.
	Request, Response         string
	RequestSize, ResponseSize int
	ElapsedMS, Retries        int
	// Blocked is set when the service refused the host; BodyTooLarge when the response
	// exceeded the service's limit.
	Blocked      bool
	BodyTooLarge bool
	// ResponseLimit is the service's response size limit (for the warning).
	ResponseLimit int
}

// Webhooks makes HTTP calls for call_webhook and call_resthook.
type Webhooks interface {
	Call(req *WebhookRequest) *WebhookTrace
}

// Email sends email for send_email.
type Email interface {
	Send(to []string, subject, body string) error
}

// LLMResponse is an LLM service's answer.
type LLMResponse struct {
	Output                    string
	InputTokens, OutputTokens int
}

// LLM calls a large language model for call_llm.
type LLM interface {
	Complete(llm *LLMAsset, instructions, input string, maxOutputTokens int) (*LLMResponse, error)
}

// LLMPrompts is implemented by LLM services that supply the named prompt templates prompt()
// renders (Go text/template sources using {{ .arg1 }}, {{ .arg2 }}...). The prompts come with
// the LLM service, as the reference's engine takes them with its LLM configuration, so every
// caller of the engine gets the same ones; RapidProPrompts are the ones RapidPro ships.
type LLMPrompts interface {
	// Prompt returns the template source of a named prompt, and false when there is none.
	Prompt(name string) (string, bool)
}

// AirtimeTransfer is an airtime service's answer.
type AirtimeTransfer struct {
	ExternalID string
	Currency   string
	Amount     decimal.Decimal
	HTTPLogs   []*AirtimeLog
}

// AirtimeLog is one HTTP exchange made by the airtime service.
type AirtimeLog struct {
	URL        string
	StatusCode int
	Request    string
	Response   string
	Status     string
	CreatedOn  time.Time
	ElapsedMS  int
	Retries    int
}

// Airtime transfers airtime for transfer_airtime. On failure it may still return the transfer
// (for its logs) along with the error.
type Airtime interface {
	Transfer(sender, recipient string, amounts map[string]decimal.Decimal) (*AirtimeTransfer, error)
}

// Services are everything the engine needs from the outside world.
type Services struct {
	Clock    Clock
	UUIDs    UUIDs
	Random   Random
	Webhooks Webhooks
	Email    Email
	LLM      LLM
	Airtime  Airtime
	// CheckSendable may return an unsendable reason for an outgoing message text.
	CheckSendable func(text string) string
	// ClaimURN may refuse a URN being added to the contact (it is taken by another contact).
	ClaimURN func(urn string) bool
}

// Options are the engine limits (flows.md §12); zero values mean the defaults.
type Options struct {
	MaxStepsPerSprint    int
	MaxSprintsPerSession int
	MaxRunsPerSession    int
	MaxTemplateChars     int
	MaxNameChars         int
	MaxFieldChars        int
	MaxResultChars       int
	MaxRequestBytes      int
	// Prompts are named LLM prompt templates for prompt() that take precedence over those
	// of the LLM service (LLMPrompts). Prefer supplying prompts through the LLM service.
	Prompts map[string]string
}

func (o *Options) withDefaults() Options {
	out := *o
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&out.MaxStepsPerSprint, 100)
	def(&out.MaxSprintsPerSession, 500)
	def(&out.MaxRunsPerSession, 500)
	def(&out.MaxTemplateChars, 10000)
	def(&out.MaxNameChars, 128)
	def(&out.MaxFieldChars, 640)
	def(&out.MaxResultChars, 640)
	def(&out.MaxRequestBytes, 262144)
	return out
}

// Engine holds services and options; it is safe for concurrent use when its services are.
type Engine struct {
	Services
	Options
}

// New builds an engine.
func New(s Services, o Options) *Engine {
	return &Engine{Services: s, Options: o.withDefaults()}
}
