package api

import (
	"net/http"
	"regexp"
	"sort"
	"strings"

	"careflow/store"
)

// GET globals.json: filters key, before/after (modified_on), reverse; newest modified first.
func listGlobals(c *call) error {
	key, win, rev := c.param("key"), c.window(), c.boolParam("reverse")
	list, err := c.api.Store.ListGlobals(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].ModifiedOn.UnixMicro(), list[j].ModifiedOn.UnixMicro()
		if rev {
			return a < b || (a == b && list[i].Key < list[j].Key)
		}
		return a > b || (a == b && list[i].Key > list[j].Key)
	})
	var items []any
	var keys []cursorKey
	for _, g := range list {
		if (key != "" && g.Key != key) || !win.has(g.ModifiedOn) {
			continue
		}
		items = append(items, globalItem(g))
		keys = append(keys, cursorKey{S: g.Key})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

func globalItem(g *store.Global) map[string]any {
	return map[string]any{"key": g.Key, "name": g.Name, "value": g.Value, "modified_on": formatDate(g.ModifiedOn)}
}

var (
	globalNameRe = regexp.MustCompile(`^[A-Za-z0-9_\- ]+$`)
	globalKeyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	nonKeyChars  = regexp.MustCompile(`[^a-z0-9]+`)
)

// makeKey derives a key from a name as RapidPro does: lower case, runs of other characters
// become one underscore, trimmed.
func makeKey(name string) string {
	return strings.Trim(nonKeyChars.ReplaceAllString(strings.ToLower(name), "_"), "_")
}

// POST globals.json creates a global from name and value (or updates it if the key exists);
// with ?key= only the value of that global changes.
func postGlobal(c *call) error {
	b, err := c.readBody()
	if err != nil {
		return err
	}
	lookup := c.param("key")
	name := b.str("name", 36, false)
	value := b.str("value", 10000, true)
	if err := b.done(); err != nil {
		return err
	}
	list, err := c.api.Store.ListGlobals(c.ctx(), c.ws.ID)
	if err != nil {
		return err
	}
	find := func(key string) *store.Global {
		for _, g := range list {
			if g.Key == key {
				return g
			}
		}
		return nil
	}
	status := http.StatusOK
	var g *store.Global
	if lookup != "" {
		if g = find(lookup); g == nil {
			return errNotFound
		}
	} else {
		if strings.TrimSpace(name) == "" {
			return fieldErr("non_field_errors", "Name is required when creating new global.")
		}
		if !globalNameRe.MatchString(name) {
			return fieldErr("name", "Name contains illegal characters.")
		}
		key := makeKey(name)
		if !globalKeyRe.MatchString(key) || len(key) > 36 {
			return fieldErr("name", "Name creates Key that is invalid")
		}
		if g = find(key); g == nil {
			if len(list) >= 250 {
				return errDetail(http.StatusConflict, "Cannot create object because workspace has reached limit.")
			}
			g = &store.Global{WorkspaceID: c.ws.ID, Key: key, Name: strings.TrimSpace(name)}
			status = http.StatusCreated
		}
	}
	g.Value = value
	if err := c.api.Runtime.SetGlobal(c.ctx(), g); err != nil {
		return fromRuntime(err)
	}
	return c.ok(status, globalItem(g))
}
