package event

import "encoding/json"

// TypeRunResultChanged is emitted when a run result is saved with a new value or category.
const TypeRunResultChanged = "run_result_changed"

// RunResultChanged is emitted when a run result is saved with a new value or category.
type RunResultChanged struct {
	Base
	Name     string          `json:"name"`
	Value    string          `json:"value"`
	Category string          `json:"category"`
	Extra    json.RawMessage `json:"extra,omitempty"`
	Previous *ResultPrevious `json:"previous,omitempty"`
}

// NewRunResultChanged builds the event.
func NewRunResultChanged(name, value, category string, extra json.RawMessage, prev *ResultPrevious) *RunResultChanged {
	return &RunResultChanged{Base: base(TypeRunResultChanged), Name: name, Value: value, Category: category, Extra: extra, Previous: prev}
}

func init() { register(TypeRunResultChanged, func() Event { return &RunResultChanged{} }) }
