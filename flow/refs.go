package flow

// FlowRef refers to a flow. Revision is only set in run and event outputs.
type FlowRef struct {
	UUID     UUID   `json:"uuid"`
	Name     string `json:"name"`
	Revision int    `json:"revision,omitempty"`
}

// GroupRef refers to a contact group, either fixed (UUID and Name) or variable (NameMatch, a
// template resolved at run time to a group of that name).
type GroupRef struct {
	UUID      string `json:"uuid,omitempty"`
	Name      string `json:"name,omitempty"`
	NameMatch string `json:"name_match,omitempty"`
}

// LabelRef refers to a message label, fixed or variable like GroupRef.
type LabelRef struct {
	UUID      string `json:"uuid,omitempty"`
	Name      string `json:"name,omitempty"`
	NameMatch string `json:"name_match,omitempty"`
}

// UserRef refers to a user, fixed (UUID and Name) or variable (Email, a template).
type UserRef struct {
	UUID  string `json:"uuid,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// FieldRef refers to a contact field by key.
type FieldRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// ChannelRef refers to a channel.
type ChannelRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// TopicRef refers to a ticket topic.
type TopicRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// LLMRef refers to a large language model asset.
type LLMRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// TemplateRef refers to a message template (WhatsApp style).
type TemplateRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// ContactRef refers to a contact.
type ContactRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// OptInRef refers to an opt-in (only used by the deprecated request_optin action).
type OptInRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Variable reports whether the reference is resolved by name at run time.
func (r *GroupRef) Variable() bool { return r.NameMatch != "" }

// Variable reports whether the reference is resolved by name at run time.
func (r *LabelRef) Variable() bool { return r.NameMatch != "" }

// Variable reports whether the reference is resolved by email at run time.
func (r *UserRef) Variable() bool { return r.Email != "" }
