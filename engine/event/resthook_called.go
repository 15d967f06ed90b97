package event

import "encoding/json"

// TypeResthookCalled is emitted when a resthook action builds its payload.
const TypeResthookCalled = "resthook_called"

// ResthookCalled is emitted when a resthook action builds its payload.
type ResthookCalled struct {
	Base
	Resthook string          `json:"resthook"`
	Payload  json.RawMessage `json:"payload"`
}

// NewResthookCalled builds the event.
func NewResthookCalled(slug string, payload json.RawMessage) *ResthookCalled {
	return &ResthookCalled{Base: base(TypeResthookCalled), Resthook: slug, Payload: payload}
}

func init() { register(TypeResthookCalled, func() Event { return &ResthookCalled{} }) }
