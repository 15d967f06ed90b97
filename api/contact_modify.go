package api

import (
	"encoding/json"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// Contact changes go through the runtime as a store.TaskModify task in the contact's queue, so
// they are applied between the contact's other work and never race a flow writing the same
// contact. The API waits for the task to be handled so its answer shows the change; should the
// workers be slow, the task stays queued (nothing accepted is lost) and the answer shows the
// contact as it was.

// modifyWait bounds how long an API call waits for its contact task.
const modifyWait = 10 * time.Second

func mod(v map[string]any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// modifyContacts queues one modify task per contact and waits for them all.
func modifyContacts(c *call, contacts []*store.Contact, p runtime.ModifyPayload) error {
	payload, _ := json.Marshal(p)
	var ids []int64
	for _, ct := range contacts {
		t := &store.ContactTask{WorkspaceID: c.ws.ID, ContactID: ct.ID, Type: store.TaskModify, Payload: payload}
		if err := c.api.Runtime.QueueContactTask(c.ctx(), t); err != nil {
			return err
		}
		ids = append(ids, t.ID)
	}
	for _, id := range ids {
		if _, err := runtime.WaitTask(c.ctx(), c.api.Store.ContactTaskDone, id, modifyWait); err != nil {
			return err
		}
	}
	return nil
}

// reloadContact reads a contact again after its change.
func reloadContact(c *call, ct *store.Contact) (*store.Contact, error) {
	list, err := c.api.Store.GetContacts(c.ctx(), c.ws.ID, []int64{ct.ID})
	if err != nil || len(list) == 0 {
		return ct, err
	}
	return list[0], nil
}
