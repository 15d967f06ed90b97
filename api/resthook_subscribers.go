package api

import (
	"net/http"
	"sort"

	"careflow/runtime"
	"careflow/store"
)

// GET resthook_subscribers.json: filters id and resthook (a slug); newest first.
func listResthookSubscribers(c *call) error {
	id, err := c.intParam("id")
	if err != nil {
		return err
	}
	slug := c.param("resthook")
	list, err := c.api.Store.ListResthookSubscribers(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	var items []any
	var keys []cursorKey
	for _, s := range list {
		if (id != 0 && s.ID != id) || (slug != "" && s.Resthook != slug) {
			continue
		}
		items = append(items, subscriberItem(s))
		keys = append(keys, cursorKey{ID: s.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func subscriberItem(s *store.ResthookSubscriber) map[string]any {
	return map[string]any{"id": s.ID, "resthook": s.Resthook, "target_url": s.TargetURL, "created_on": formatDate(s.CreatedOn)}
}

// POST resthook_subscribers.json subscribes target_url to the resthook with slug resthook.
func postResthookSubscriber(c *call) error {
	// RapidPro looks a subscriber named by ?id= up and then adds a new one all the same;
	// careflow refuses instead, since subscribers have nothing to update.
	if c.param("id") != "" {
		return errDetail(http.StatusBadRequest, "Subscribers cannot be updated: DELETE one with ?id= and POST a new one")
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	slug := b.str("resthook", 1000, true)
	target := b.str("target_url", runtime.MaxTargetURLChars, true)
	if target != "" && !runtime.ValidTargetURL(target) {
		b.errs.add("target_url", "Enter a valid URL.")
	}
	hooks, err := c.api.Store.ListResthooks(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	found := false
	for _, h := range hooks {
		found = found || h.Slug == slug
	}
	if slug != "" && !found {
		b.errs.add("resthook", "No resthook with slug: "+slug)
	}
	if err := b.done(); err != nil {
		return err
	}
	subs, err := c.api.Store.ListResthookSubscribers(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range subs {
		if s.Resthook == slug {
			n++
		}
		if s.Resthook == slug && s.TargetURL == target {
			return fieldErr("non_field_errors", "URL is already subscribed to this event.")
		}
	}
	if n >= runtime.MaxResthookSubscribers {
		return errDetail(http.StatusConflict, "Cannot create object because resthook has reached limit of "+itoa(runtime.MaxResthookSubscribers)+" subscribers.")
	}
	sub := &store.ResthookSubscriber{WorkspaceID: c.ws.ID, Resthook: slug, TargetURL: target}
	if err := c.api.Runtime.Subscribe(c.ctx(), sub); err != nil {
		return fromRuntime(err)
	}
	return c.ok(http.StatusCreated, subscriberItem(sub))
}

// DELETE resthook_subscribers.json?id= unsubscribes; flows stop calling the URL at once.
func deleteResthookSubscriber(c *call) error {
	if c.param("id") == "" {
		return errDetail(http.StatusBadRequest, "URL must contain one of the following parameters: id")
	}
	id, err := c.intParam("id")
	if err != nil {
		return err
	}
	if err := c.api.Runtime.Unsubscribe(c.ctx(), c.ws.ID, id); err != nil {
		return fromRuntime(err)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}
