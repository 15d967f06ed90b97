package modifier

import (
	"encoding/json"
	"fmt"

	"careflow/engine"
)

var registry = map[string]func() engine.Modifier{}

func register(name string, fn func() engine.Modifier) {
	if _, dup := registry[name]; dup {
		panic("modifier: type registered twice: " + name)
	}
	registry[name] = fn
}

// Read decodes a modifier of any registered type.
func Read(data []byte) (engine.Modifier, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, err
	}
	fn := registry[head.Type]
	if fn == nil {
		return nil, fmt.Errorf("unknown type: '%s'", head.Type)
	}
	m := fn()
	if err := json.Unmarshal(data, m); err != nil {
		return nil, err
	}
	return m, nil
}
