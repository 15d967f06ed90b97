package api

import (
	"encoding/json"
	"net/http"

	"careflow/runtime"
	"careflow/store"
)

// contactActions are the bulk actions careflow offers. RapidPro's archive_messages is not
// offered: careflow keeps no message visibility changes outside the runtime yet.
var contactActions = map[string]bool{"add": true, "remove": true, "block": true, "unblock": true, "interrupt": true, "delete": true}

// POST contact_actions.json applies one action to up to 100 contacts (UUIDs or URNs): 204.
func postContactActions(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	refs := b.refList("contacts")
	if b.has("contacts") && len(refs) == 0 && len(b.errs) == 0 {
		b.errs.add("contacts", "Contacts can't be empty.")
	} else if !b.has("contacts") {
		b.errs.add("contacts", "This field is required.")
	}
	action := b.str("action", 32, true)
	if action == "archive" {
		action = "archive_messages"
	}
	if action != "" && !contactActions[action] {
		b.errs.add("action", `"`+action+`" is not a valid choice.`)
	}
	groupRef := b.str("group", 64, false)
	if err := b.done(); err != nil {
		return err
	}
	var group *store.Group
	needsGroup := action == "add" || action == "remove"
	switch {
	case needsGroup && groupRef == "":
		b.errs.add("non_field_errors", `For action "`+action+`" you should also specify a group`)
	case !needsGroup && groupRef != "" && contactActions[action]:
		b.errs.add("non_field_errors", `For action "`+action+`" you should not specify a group`)
	case needsGroup:
		if gs := resolveGroups(b, w, "group", []string{groupRef}); len(gs) == 1 {
			group = gs[0]
			if group.Query != "" {
				b.errs.add("group", "Contact group must not be query based: "+group.Name)
			}
		}
	}
	contacts, err := resolveContacts(c, b, w, "contacts", refs)
	if err != nil {
		return err
	}
	if action == "add" {
		for _, ct := range contacts {
			if ct.Status != "active" {
				b.errs.add("contacts", "Only active contacts can be added to groups")
				break
			}
		}
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	var p runtime.ModifyPayload
	switch action {
	case "add", "remove":
		p.Modifiers = []json.RawMessage{mod(map[string]any{"type": "groups", "groups": []any{ref(group.UUID, group.Name)}, "modification": action})}
	case "block":
		p.Modifiers = []json.RawMessage{mod(map[string]any{"type": "status", "status": "blocked"})}
	case "unblock":
		p.Modifiers = []json.RawMessage{mod(map[string]any{"type": "status", "status": "active"})}
	case "interrupt", "delete":
		p.Interrupt = true
	}
	if err := modifyContacts(c, contacts, p); err != nil {
		return err
	}
	if action == "delete" {
		for _, ct := range contacts {
			if err := c.api.Store.DeleteContact(c.ctx(), c.ws.ID, ct.ID); err != nil {
				return fromRuntime(err)
			}
		}
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}
