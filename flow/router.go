package flow

import "encoding/json"

// Router types.
const (
	RouterSwitch = "switch"
	RouterRandom = "random"
)

// Router picks one of its categories when a node is visited, optionally after a wait. A switch
// router evaluates Operand and tries its Cases in order, falling back to DefaultCategoryUUID; a
// random router picks a category uniformly at random and uses none of the switch fields.
type Router struct {
	Type       string      // RouterSwitch or RouterRandom
	Wait       *Wait       // optional
	ResultName string      // optional: save a result under this name when routing
	Categories []*Category // at least one

	// switch only
	Operand             string
	Cases               []*Case
	DefaultCategoryUUID CategoryUUID
}

// Category is a named outcome of a router; picking it leaves through ExitUUID.
type Category struct {
	UUID     CategoryUUID `json:"uuid"`
	Name     string       `json:"name,omitempty"`
	ExitUUID ExitUUID     `json:"exit_uuid,omitempty"`
}

// Case is one test of a switch router: the router test Type called with the operand and the
// Arguments (templates); when it matches, CategoryUUID is picked.
type Case struct {
	UUID         CaseUUID     `json:"uuid"`
	Type         string       `json:"type"`
	Arguments    []string     `json:"arguments,omitempty"`
	CategoryUUID CategoryUUID `json:"category_uuid"`
}

// Category returns the router's category with the given UUID, or nil.
func (r *Router) Category(uuid CategoryUUID) *Category {
	for _, c := range r.Categories {
		if c.UUID == uuid {
			return c
		}
	}
	return nil
}

type routerJSON struct {
	Type       string          `json:"type"`
	Wait       *Wait           `json:"wait,omitempty"`
	ResultName string          `json:"result_name,omitempty"`
	Categories []*Category     `json:"categories,omitempty"`
	Operand    *string         `json:"operand,omitempty"`
	Cases      json.RawMessage `json:"cases,omitempty"`
	Default    CategoryUUID    `json:"default_category_uuid,omitempty"`
}

// MarshalJSON writes the router with the keys of its type: a switch always has operand and
// cases, a random router never does.
func (r *Router) MarshalJSON() ([]byte, error) {
	out := routerJSON{Type: r.Type, Wait: r.Wait, ResultName: r.ResultName, Categories: r.Categories}
	if r.Type == RouterSwitch {
		op := r.Operand
		out.Operand = &op
		cases := r.Cases
		if cases == nil {
			cases = []*Case{}
		}
		b, err := json.Marshal(cases)
		if err != nil {
			return nil, err
		}
		out.Cases = b
		out.Default = r.DefaultCategoryUUID
	}
	return json.Marshal(&out)
}
