package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

var msgActions = map[string]bool{"label": true, "unlabel": true, "archive": true, "restore": true, "delete": true}

// POST message_actions.json labels, unlabels, archives, restores or deletes up to 100
// incoming messages named by ID or UUID: 204, or 200 {"failures": [...]} naming those that no
// longer exist.
func postMessageActions(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	refs := b.refList("messages")
	if !b.has("messages") {
		b.errs.add("messages", "This field is required.")
	} else if len(refs) == 0 && len(b.errs) == 0 {
		b.errs.add("messages", "This list may not be empty.")
	}
	action := b.str("action", 16, true)
	if action != "" && !msgActions[action] {
		b.errs.add("action", `"`+action+`" is not a valid choice.`)
	}
	labelRef := b.str("label", 64, false)
	labelName := b.str("label_name", 64, false)
	checkLabelName(b, "label_name", labelName)
	if err := b.done(); err != nil {
		return err
	}
	needsLabel := action == "label" || action == "unlabel"
	switch {
	case labelRef != "" && labelName != "":
		b.errs.add("non_field_errors", "Can't specify both label and label_name.")
	case needsLabel && labelRef == "" && labelName == "":
		b.errs.add("non_field_errors", `For action "`+action+`" you should also specify a label`)
	case !needsLabel && (labelRef != "" || labelName != "") && msgActions[action]:
		b.errs.add("non_field_errors", `For action "`+action+`" you should not specify a label`)
	}
	var ids []int64
	var uuids []string
	for _, r := range refs {
		if n, err := strconv.ParseInt(r, 10, 64); err == nil {
			ids = append(ids, n)
		} else if isUUID(r) {
			uuids = append(uuids, strings.ToLower(r))
		} else {
			b.errs.add("messages", "Not a message ID or UUID: "+r)
		}
	}
	labels, err := c.api.Store.ListLabels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	var label *store.Label
	if labelRef != "" {
		if label = findLabel(labels, labelRef); label == nil {
			b.errs.add("label", "No such object: "+labelRef)
		}
	}
	if err := b.errs.err(); err != nil {
		return err
	}
	msgs, err := c.api.Store.GetMsgsForAPI(c.ctx(), c.ws.ID, ids, uuids)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	var targets []int64
	for _, m := range msgs {
		if !m.Incoming {
			return fieldErr("messages", "Not an incoming message: "+strconv.FormatInt(m.ID, 10))
		}
		found[strconv.FormatInt(m.ID, 10)], found[m.UUID] = true, true
		if m.Visibility != "deleted" {
			targets = append(targets, m.ID)
		}
	}
	if labelName != "" {
		if label = findLabel(labels, labelName); label == nil && action == "label" {
			label = &store.Label{WorkspaceID: c.ws.ID, UUID: runtime.NewUUID(), Name: labelName, CreatedOn: c.api.Runtime.Clock.Now()}
			if err := c.api.Store.SaveLabel(c.ctx(), label); err != nil && !errors.Is(err, store.ErrConflict) {
				return err
			}
		}
	}
	switch action {
	case "label", "unlabel":
		if label != nil {
			err = c.api.Store.LabelMsgs(c.ctx(), c.ws.ID, targets, label.UUID, action == "label")
		}
	case "archive":
		err = c.api.Store.SetMsgsVisibility(c.ctx(), c.ws.ID, targets, "archived")
	case "restore":
		err = c.api.Store.SetMsgsVisibility(c.ctx(), c.ws.ID, targets, "visible")
	case "delete":
		err = c.api.Store.SetMsgsVisibility(c.ctx(), c.ws.ID, targets, "deleted")
	}
	if err != nil {
		return err
	}
	var failures []any
	for _, r := range refs {
		if !found[strings.ToLower(r)] {
			if n, err := strconv.ParseInt(r, 10, 64); err == nil {
				failures = append(failures, n)
			} else {
				failures = append(failures, r)
			}
		}
	}
	if len(failures) > 0 {
		return c.ok(http.StatusOK, map[string]any{"failures": failures})
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}
