package event

import "encoding/json"

// TypeAirtimeCreated is emitted when an airtime transfer succeeded.
const TypeAirtimeCreated = "airtime_created"

// AirtimeCreated is emitted when an airtime transfer succeeded.
type AirtimeCreated struct {
	Base
	ExternalID string      `json:"external_id"`
	Sender     string      `json:"sender"`
	Recipient  string      `json:"recipient"`
	Currency   string      `json:"currency"`
	Amount     json.Number `json:"amount"`
	HTTPLogs   []*HTTPLog  `json:"http_logs"`
}

// NewAirtimeCreated builds the event.
func NewAirtimeCreated() *AirtimeCreated { return &AirtimeCreated{Base: base(TypeAirtimeCreated)} }

func init() { register(TypeAirtimeCreated, func() Event { return &AirtimeCreated{} }) }
