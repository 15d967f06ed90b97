package event

import "careflow/flow"

// TypeContactGroupsChanged is emitted when a contact joins or leaves groups.
const TypeContactGroupsChanged = "contact_groups_changed"

// ContactGroupsChanged is emitted when a contact joins or leaves groups.
type ContactGroupsChanged struct {
	Base
	GroupsAdded   []*flow.GroupRef `json:"groups_added,omitempty"`
	GroupsRemoved []*flow.GroupRef `json:"groups_removed,omitempty"`
}

// NewContactGroupsChanged builds the event.
func NewContactGroupsChanged(added, removed []*flow.GroupRef) *ContactGroupsChanged {
	return &ContactGroupsChanged{Base: base(TypeContactGroupsChanged), GroupsAdded: added, GroupsRemoved: removed}
}

func init() { register(TypeContactGroupsChanged, func() Event { return &ContactGroupsChanged{} }) }
