package api

import (
	"sort"

	"careflow/store"
)

var channelTypes = map[string]string{"TEST": "test", "EX": "external", "T": "twilio", "NX": "vonage", "TG": "telegram", "A": "android"}

// GET channels.json: filters uuid, address; newest first.
func listChannels(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	addr := c.param("address")
	list, err := c.api.Store.ListChannels(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	var items []any
	var keys []cursorKey
	for _, ch := range list {
		if (uuid != "" && ch.UUID != uuid) || (addr != "" && ch.Address != addr) {
			continue
		}
		items = append(items, channelItem(ch))
		keys = append(keys, cursorKey{ID: ch.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func channelItem(ch *store.Channel) map[string]any {
	typ := channelTypes[ch.Type]
	if typ == "" {
		typ = ch.Type
	}
	var country any
	if ch.Country != "" {
		country = ch.Country
	}
	return map[string]any{
		"uuid": ch.UUID, "name": ch.Name, "address": ch.Address, "type": typ, "country": country,
		"device": nil, "last_seen": nil, "created_on": formatDate(ch.CreatedOn),
	}
}
