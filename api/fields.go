package api

import (
	"net/http"
	"regexp"
	"sort"
	"strings"

	"careflow/store"
)

var legacyFieldTypes = map[string]string{"text": "text", "number": "numeric", "datetime": "datetime", "state": "state", "district": "district", "ward": "ward"}

// GET fields.json: filter key; newest first.
func listFields(c *call) error {
	key := c.param("key")
	list, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].CreatedOn.After(list[j].CreatedOn) || (list[i].CreatedOn.Equal(list[j].CreatedOn) && list[i].Key > list[j].Key)
	})
	var items []any
	var keys []cursorKey
	for _, f := range list {
		if key != "" && f.Key != key {
			continue
		}
		items = append(items, fieldItem(f))
		keys = append(keys, cursorKey{S: f.Key})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func fieldItem(f *store.Field) map[string]any {
	return map[string]any{
		"key": f.Key, "name": f.Name, "type": f.Type, "featured": false, "priority": 0,
		"usages":       map[string]int{"campaign_events": 0, "flows": 0, "groups": 0},
		"agent_access": "view", "label": f.Name, "value_type": legacyFieldTypes[f.Type],
	}
}

var (
	fieldNameRe = regexp.MustCompile(`^[A-Za-z0-9\- ]+$`)
	// reservedFieldKeys are names of contact attributes a field key may not shadow.
	reservedFieldKeys = map[string]bool{
		"id": true, "uuid": true, "name": true, "language": true, "created_on": true, "last_seen_on": true,
		"modified_on": true, "status": true, "groups": true, "urns": true, "urn": true, "tel": true, "email": true,
		"fields": true, "channel": true, "tickets": true, "timezone": true, "first_name": true, "contact": true,
		"flow": true, "has": true, "is": true, "notes": true, "ref": true,
	}
	fieldTypeNames = map[string]string{"numeric": "number"}
)

// POST fields.json creates a field from name and type (or legacy label and value_type);
// with ?key= it changes that field's name and type.
func postField(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	lookup := c.param("key")
	name := b.str("name", 36, false)
	if label := b.str("label", 36, false); name == "" {
		name = label
	}
	typ := b.str("type", 16, false)
	if vt := b.str("value_type", 16, false); typ == "" {
		typ = vt
	}
	if t, ok := fieldTypeNames[typ]; ok {
		typ = t
	}
	if strings.TrimSpace(name) == "" {
		b.errs.add("name", "This field is required.")
	} else if !fieldNameRe.MatchString(name) || strings.TrimSpace(name) != name {
		b.errs.add("name", "Can only contain letters, numbers and hypens.")
	}
	if typ == "" {
		b.errs.add("type", "This field is required.")
	} else if _, ok := legacyFieldTypes[typ]; !ok {
		b.errs.add("type", `"`+typ+`" is not a valid choice.`)
	}
	if err := b.done(); err != nil {
		return err
	}
	list, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	var f *store.Field
	for _, x := range list {
		if lookup != "" && x.Key == lookup {
			f = x
		} else if strings.EqualFold(x.Name, name) && x.Key != lookup {
			return fieldErr("name", "Must be unique.")
		}
	}
	status := http.StatusOK
	if lookup != "" {
		if f == nil {
			return errNotFound
		}
	} else {
		key := makeKey(name)
		if !globalKeyRe.MatchString(key) || len(key) > 36 || reservedFieldKeys[key] {
			return fieldErr("name", `Generated key "`+key+`" is invalid or a reserved name.`)
		}
		for _, x := range list {
			if x.Key == key {
				return fieldErr("name", "Must be unique.")
			}
		}
		if len(list) >= 250 {
			return errDetail(http.StatusConflict, "Cannot create object because workspace has reached limit.")
		}
		f = &store.Field{WorkspaceID: c.ws.ID, Key: key}
		status = http.StatusCreated
	}
	f.Name, f.Type = name, typ
	if err := c.api.Store.SaveField(c.ctx(), f); err != nil {
		return err
	}
	c.api.Runtime.Invalidate(c.ws.ID)
	return c.ok(status, fieldItem(f))
}
