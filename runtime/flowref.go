package runtime

import (
	"careflow/flow"
	"careflow/store"
)

func flowRef(f *store.Flow) *flow.FlowRef {
	return &flow.FlowRef{UUID: flow.UUID(f.UUID), Name: f.Name}
}
