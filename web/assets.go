package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/flow"
	"careflow/store"
)

// assetLister builds one asset list the editors fetch, in RapidPro API v2's shapes.
type assetLister func(w *Web, ctx context.Context, ws *store.Workspace, r *http.Request) ([]any, error)

// assetLists maps the last part of /flow/assets/<org>/<ts>/<kind>/ to its lister. Kinds
// careflow keeps nothing of (classifiers, templates, optins, topics, llms, labels) answer
// empty lists: the React editor draws nothing if any prefetched list fails.
var assetLists = map[string]assetLister{
	"fields": listFields, "groups": listGroups, "globals": listGlobals, "flows": listFlows,
	"channels": listChannels, "users": listUsers, "language": listLanguages,
	"recipients": listRecipients, "contacts": listRecipients, "resthooks": listResthooks,
	"labels": listNone, "classifiers": listNone, "templates": listNone,
	"optins": listNone, "topics": listNone, "llms": listNone,
}

func (w *Web) assetList(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if org := r.PathValue("org"); org != strconv.FormatInt(ws.ID, 10) {
		jsonError(rw, http.StatusNotFound, "no workspace "+org)
		return
	}
	kind := strings.TrimSuffix(r.PathValue("kind"), ".json")
	if kind == "workspace" {
		writeJSON(rw, http.StatusOK, workspaceJSON(ws))
		return
	}
	lister := assetLists[kind]
	if lister == nil {
		jsonError(rw, http.StatusNotFound, "no asset list "+kind)
		return
	}
	list, err := lister(w, r.Context(), ws, r)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if list == nil {
		list = []any{}
	}
	writeJSON(rw, http.StatusOK, map[string]any{"next": nil, "results": list})
}

func workspaceJSON(ws *store.Workspace) map[string]any {
	langs := ws.Languages
	if langs == nil {
		langs = []string{}
	}
	primary := "eng"
	if len(langs) > 0 {
		primary = langs[0]
	}
	return map[string]any{"uuid": ws.UUID, "name": ws.Name, "country": ws.Country, "languages": langs,
		"primary_language": primary, "timezone": ws.Timezone, "date_style": dateStyle(ws.DateFormat), "anon": false}
}

func dateStyle(format string) string {
	switch format {
	case "MM-DD-YYYY":
		return "month_first"
	case "YYYY-MM-DD":
		return "year_first"
	}
	return "day_first"
}

func listNone(*Web, context.Context, *store.Workspace, *http.Request) ([]any, error) { return nil, nil }

// apiFieldTypes maps careflow's field types to API v2's.
var apiFieldTypes = map[string]string{"text": "text", "number": "numeric", "datetime": "datetime", "state": "state", "district": "district", "ward": "ward"}

func listFields(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	fields, err := w.cfg.Store.ListFields(ctx, ws.ID)
	var out []any
	for _, f := range fields {
		t := apiFieldTypes[f.Type]
		out = append(out, map[string]any{"key": f.Key, "name": f.Name, "label": f.Name, "type": t, "value_type": t,
			"featured": false, "priority": 0, "agent_access": "view",
			"usages": map[string]int{"flows": 0, "groups": 0, "campaign_events": 0}})
	}
	return out, err
}

func listGroups(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	groups, err := w.cfg.Store.ListGroups(ctx, ws.ID)
	var out []any
	for _, g := range groups {
		var query any
		if g.Query != "" {
			query = g.Query
		}
		out = append(out, map[string]any{"uuid": g.UUID, "name": g.Name, "query": query, "status": g.Status, "system": false})
	}
	return out, err
}

func listGlobals(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	globals, err := w.cfg.Store.ListGlobals(ctx, ws.ID)
	var out []any
	for _, g := range globals {
		out = append(out, map[string]any{"key": g.Key, "name": g.Name, "value": g.Value, "modified_on": g.ModifiedOn.UTC().Format(time.RFC3339Nano)})
	}
	return out, err
}

// listResthooks is API v2's resthooks list, which the editors offer in the call_resthook
// action.
func listResthooks(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	hooks, err := w.cfg.Store.ListResthooks(ctx, ws.ID)
	var out []any
	for _, h := range hooks {
		out = append(out, map[string]any{"resthook": h.Slug, "created_on": h.CreatedOn.UTC().Format(time.RFC3339Nano),
			"modified_on": h.ModifiedOn.UTC().Format(time.RFC3339Nano)})
	}
	return out, err
}

// listFlows gives each flow its results and parent references, which the editor offers in
// expressions after an "enter a flow" action.
func listFlows(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	flows, err := w.cfg.Store.ListFlows(ctx, ws.ID, false)
	var out []any
	for _, f := range flows {
		results, parents := []any{}, []string{}
		if fl, err := flow.Read(f.Definition); err == nil {
			info := fl.Inspect(nil)
			for _, res := range info.Results {
				results = append(results, map[string]any{"key": res.Key, "name": res.Name, "categories": res.Categories, "node_uuids": res.NodeUUIDs})
			}
			if info.ParentRefs != nil {
				parents = info.ParentRefs
			}
		}
		out = append(out, map[string]any{"uuid": f.UUID, "name": f.Name, "type": editorTypes[f.Type], "archived": f.Archived,
			"labels": []any{}, "expires": f.ExpireAfterMins, "results": results, "parent_refs": parents,
			"created_on": f.CreatedOn.UTC().Format(time.RFC3339Nano), "modified_on": f.ModifiedOn.UTC().Format(time.RFC3339Nano)})
	}
	return out, err
}

func listChannels(w *Web, ctx context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	chans, err := w.cfg.Store.ListChannels(ctx, ws.ID)
	var out []any
	for _, c := range chans {
		out = append(out, map[string]any{"uuid": c.UUID, "name": c.Name, "address": c.Address, "type": c.Type,
			"country": c.Country, "schemes": c.Schemes, "roles": c.Roles, "device": nil, "last_seen": nil,
			"created_on": c.CreatedOn.UTC().Format(time.RFC3339Nano)})
	}
	return out, err
}

func listUsers(w *Web, ctx context.Context, _ *store.Workspace, _ *http.Request) ([]any, error) {
	users, err := w.cfg.Users.List(ctx)
	var out []any
	for _, u := range users {
		out = append(out, map[string]any{"uuid": u.Name, "email": u.Name, "name": u.Name, "role": "editor"})
	}
	return out, err
}

func listLanguages(_ *Web, _ context.Context, ws *store.Workspace, _ *http.Request) ([]any, error) {
	var out []any
	for _, c := range ws.Languages {
		out = append(out, map[string]string{"iso": c, "name": languageName(c)})
	}
	return out, nil
}

// listRecipients answers the omnibox: groups and contacts whose name starts with search.
func listRecipients(w *Web, ctx context.Context, ws *store.Workspace, r *http.Request) ([]any, error) {
	search := strings.ToLower(r.URL.Query().Get("search"))
	var out []any
	groups, err := w.cfg.Store.ListGroups(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if strings.HasPrefix(strings.ToLower(g.Name), search) {
			out = append(out, map[string]any{"id": g.UUID, "uuid": g.UUID, "name": g.Name, "type": "group"})
		}
	}
	contacts, err := w.cfg.Store.ScanContacts(ctx, ws.ID, 0, 200)
	for _, c := range contacts {
		if c.Name != "" && strings.HasPrefix(strings.ToLower(c.Name), search) {
			out = append(out, map[string]any{"id": c.UUID, "uuid": c.UUID, "name": c.Name, "type": "contact"})
		}
	}
	return out, err
}
