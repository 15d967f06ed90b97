package runtime

import (
	"encoding/json"
	"fmt"
	"sort"

	"careflow/engine"
	"careflow/flow"
	"careflow/store"
)

// engineContact is the engine's view of a stored contact.
func (w *Workspace) engineContact(c *store.Contact) (*engine.Contact, error) {
	ec := &engine.Contact{UUID: c.UUID, ID: c.ID, Name: c.Name, Language: c.Language, Status: c.Status,
		Timezone: c.Timezone, CreatedOn: c.CreatedOn, Fields: map[string]*engine.FieldValue{}}
	if c.LastSeenOn != nil {
		t := *c.LastSeenOn
		ec.LastSeenOn = &t
	}
	for _, u := range c.URNs {
		eu, err := engine.ParseURN(u.Identity)
		if err != nil {
			continue
		}
		eu.Display, eu.Channel = u.Display, u.ChannelUUID
		ec.URNs = append(ec.URNs, eu)
	}
	for _, id := range c.Groups {
		if g := w.GroupIDs[id]; g != nil {
			ec.Groups = append(ec.Groups, &flow.GroupRef{UUID: g.UUID, Name: g.Name})
		}
	}
	if len(c.Fields) > 0 && string(c.Fields) != "null" {
		if err := json.Unmarshal(c.Fields, &ec.Fields); err != nil {
			return nil, fmt.Errorf("contact %s fields: %w", c.UUID, err)
		}
	}
	return ec, nil
}

// storeContact writes the engine's contact state back onto the stored contact and says what
// changed in its URNs and groups.
func (w *Workspace) storeContact(c *store.Contact, ec *engine.Contact) (*store.ContactUpdate, error) {
	u := &store.ContactUpdate{Contact: c}
	c.Name, c.Language, c.Status, c.Timezone = ec.Name, ec.Language, ec.Status, ec.Timezone
	if ec.LastSeenOn != nil {
		t := *ec.LastSeenOn
		c.LastSeenOn = &t
	}
	fields := map[string]*engine.FieldValue{}
	for k, v := range ec.Fields {
		if v != nil {
			fields[k] = v
		}
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	c.Fields = data

	urns := make([]store.ContactURN, 0, len(ec.URNs))
	for _, eu := range ec.URNs {
		urns = append(urns, store.ContactURN{Identity: eu.Identity(), Display: eu.Display, ChannelUUID: eu.Channel})
	}
	if !sameURNs(urns, c.URNs) {
		c.URNs = urns
		u.URNsChanged = true
	}

	before := map[int64]bool{}
	for _, id := range c.Groups {
		before[id] = true
	}
	after := map[int64]bool{}
	for _, g := range ec.Groups {
		if sg := w.Groups[g.UUID]; sg != nil {
			after[sg.ID] = true
		}
	}
	var groups []int64
	for id := range after {
		groups = append(groups, id)
		if !before[id] {
			u.GroupsAdded = append(u.GroupsAdded, id)
		}
	}
	for id := range before {
		if !after[id] {
			u.GroupsRemoved = append(u.GroupsRemoved, id)
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i] < groups[j] })
	c.Groups = groups
	return u, nil
}

func sameURNs(a, b []store.ContactURN) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
