package event

import (
	"encoding/json"
	"time"

	"careflow/internal/typereg"
)

// Event is any event. Base gives access to the common fields.
type Event interface {
	Type() string
	Common() *Base
}

// Base holds the fields every event has. _user and _via are only ever set by callers.
type Base struct {
	UUID      string          `json:"uuid"`
	EventType string          `json:"type"`
	CreatedOn time.Time       `json:"created_on"`
	User      json.RawMessage `json:"_user,omitempty"`
	Via       string          `json:"_via,omitempty"`
}

// Type is the wire name of the event.
func (b *Base) Type() string { return b.EventType }

// Common returns the shared fields.
func (b *Base) Common() *Base { return b }

// Stamp sets the event's UUID and creation time.
func (b *Base) Stamp(uuid string, t time.Time) {
	b.UUID = uuid
	b.CreatedOn = t
}

func base(t string) Base { return Base{EventType: t} }

var registry = typereg.New[Event]("event: type")

func register(name string, fn func() Event) { registry.Register(name, fn) }

// Types lists the registered event types.
func Types() []string { return registry.Names() }

// Read decodes an event of any registered type.
func Read(data []byte) (Event, error) { return registry.Read(data) }
