package event

// TypeWebhookCalled is emitted for every HTTP call a webhook or resthook action makes.
const TypeWebhookCalled = "webhook_called"

// WebhookCalled is emitted for every HTTP call a webhook or resthook action makes.
type WebhookCalled struct {
	Base
	URL        string `json:"url"`
	Status     string `json:"status"`
	StatusCode int    `json:"status_code,omitempty"`
	Request    string `json:"request"`
	Response   string `json:"response,omitempty"`
	ElapsedMS  int    `json:"elapsed_ms"`
	Retries    int    `json:"retries"`
	Sizes      Sizes  `json:"sizes"`
	Resthook   string `json:"resthook,omitempty"`
}

// NewWebhookCalled builds the event.
func NewWebhookCalled() *WebhookCalled { return &WebhookCalled{Base: base(TypeWebhookCalled)} }

func init() { register(TypeWebhookCalled, func() Event { return &WebhookCalled{} }) }
