package flow

// TypeAddInputLabels is the wire name of AddInputLabels.
const TypeAddInputLabels = "add_input_labels"

// AddInputLabels labels the session's input message.
//
//	{"type": "add_input_labels", "uuid": "…", "labels": [{"uuid": "…", "name": "Spam"}]}
type AddInputLabels struct {
	BaseAction
	interactiveAction
	Labels []*LabelRef `json:"labels"`
}

func init() { registerAction(TypeAddInputLabels, func() Action { return &AddInputLabels{} }) }

func (a *AddInputLabels) check(c *checker) {
	a.checkBase(c)
	c.required("labels", a.Labels != nil)
	c.maxItems("labels", len(a.Labels), 100)
	checkLabels(c, "labels", a.Labels)
}

func (a *AddInputLabels) inspect(v *visitor) {
	for _, l := range a.Labels {
		if l != nil && !l.Variable() {
			v.ref(&Dependency{Type: "label", UUID: l.UUID, Name: l.Name})
		}
	}
	for _, l := range a.Labels {
		if l != nil && l.NameMatch != "" {
			v.tpl(l.NameMatch)
		}
	}
}
