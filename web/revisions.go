package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"careflow/flow"
	"careflow/store"
)

// flowOf finds the flow named by the URL in the current workspace, answering 404 itself.
func (w *Web) flowOf(rw http.ResponseWriter, r *http.Request) (*store.Workspace, *store.Flow, bool) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return nil, nil, false
	}
	f, err := w.cfg.Store.GetFlow(r.Context(), ws.ID, r.PathValue("uuid"))
	if errors.Is(err, store.ErrNotFound) {
		jsonError(rw, http.StatusNotFound, "no flow with UUID "+r.PathValue("uuid"))
		return nil, nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, nil, false
	}
	return ws, f, true
}

func revisionJSON(rev *store.FlowRevision, current bool) map[string]any {
	return map[string]any{"id": rev.Revision, "revision": rev.Revision, "version": rev.SpecVersion,
		"created_on": rev.CreatedOn.UTC().Format(time.RFC3339Nano), "changes": 1, "current": current,
		"user": map[string]string{"email": rev.CreatedBy, "name": rev.CreatedBy}}
}

// revisionList is the editor's revision history, newest first (the latest 100, as RapidPro).
func (w *Web) revisionList(rw http.ResponseWriter, r *http.Request) {
	_, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	revs, err := w.cfg.Store.ListFlowRevisions(r.Context(), f.ID, 100)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	out := []any{}
	for _, rev := range revs {
		out = append(out, revisionJSON(rev, rev.Revision == f.Revision))
	}
	writeJSON(rw, http.StatusOK, map[string]any{"next": nil, "results": out})
}

// revisionGet answers one revision (or "latest") with the inspector's info about it.
func (w *Web) revisionGet(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	def, number := f.Definition, f.Revision
	if id := r.PathValue("id"); id != "latest" {
		n, err := strconv.Atoi(id)
		if err != nil || n <= 0 {
			jsonError(rw, http.StatusNotFound, "no revision "+id)
			return
		}
		rev, err := w.cfg.Store.GetFlowRevision(r.Context(), f.ID, n)
		if errors.Is(err, store.ErrNotFound) {
			jsonError(rw, http.StatusNotFound, "no revision "+id)
			return
		}
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		def, number = rev.Definition, rev.Revision
	}
	fl, err := flow.Read(def)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	info := fl.Inspect(w.assetIndex(r.Context(), ws))
	// The editor counts its saves from the revision in the definition; the flow's name is
	// the stored one (renames happen outside the definition too).
	fl.Revision, fl.Name = number, f.Name
	fl.UI = withLayout(fl)
	writeJSON(rw, http.StatusOK, map[string]any{"definition": fl, "info": info, "issues": info.Issues, "metadata": metadata(info)})
}

// metadata is the deprecated copy of info older editor code still reads.
func metadata(info *flow.Inspection) map[string]any {
	return map[string]any{"results": info.Results, "dependencies": info.Dependencies, "waiting_exit_uuids": []string{},
		"parent_refs": info.ParentRefs, "issues": info.Issues}
}

// assetIndex says which assets exist, so the inspector reports missing dependencies.
func (w *Web) assetIndex(ctx context.Context, ws *store.Workspace) *flow.AssetIndex {
	idx := &flow.AssetIndex{}
	rw, err := w.cfg.Runtime.Workspace(ctx, ws.ID)
	if err != nil {
		return nil
	}
	for u := range rw.Flows {
		idx.Add("flow", u)
	}
	for _, f := range rw.Assets.Fields {
		idx.Add("field", f.Key)
	}
	for _, g := range rw.Assets.Groups {
		idx.Add("group", g.UUID)
	}
	for _, g := range rw.Assets.Globals {
		idx.Add("global", g.Key)
	}
	for _, c := range rw.Assets.Channels {
		idx.Add("channel", c.UUID)
	}
	return idx
}

// saveFailure is the editor's failure answer; it shows description in its dialog.
func saveFailure(rw http.ResponseWriter, status int, description, detail string) {
	writeJSON(rw, status, map[string]any{"status": "failure", "description": description, "detail": detail})
}

// revisionSave stores a definition saved from either editor as the flow's next revision,
// after reading (and so validating and migrating) it, and makes the runtime run it at once.
// A definition whose revision is older than the stored one is a concurrent edit: refused.
func (w *Web) revisionSave(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	body, err := readBody(rw, r, 8<<20)
	if err != nil {
		saveFailure(rw, http.StatusBadRequest, "Your flow could not be saved: "+err.Error(), err.Error())
		return
	}
	var head struct {
		UUID     string `json:"uuid"`
		Revision *int   `json:"revision"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		saveFailure(rw, http.StatusBadRequest, "Your flow could not be saved: the definition is not a JSON object ("+err.Error()+").", err.Error())
		return
	}
	if head.UUID != f.UUID {
		saveFailure(rw, http.StatusBadRequest, "Your flow could not be saved: the definition is of flow "+strconv.Quote(head.UUID)+", not of this flow.", "uuid mismatch")
		return
	}
	fl, err := flow.Read(body)
	if err != nil {
		saveFailure(rw, http.StatusBadRequest, "Your flow failed validation: "+err.Error()+". Nothing was saved.", err.Error())
		return
	}
	if head.Revision == nil || *head.Revision < f.Revision {
		w.conflict(rw, r, f)
		return
	}
	if other, err := w.cfg.Store.GetFlowByName(r.Context(), ws.ID, fl.Name); err == nil && other.UUID != f.UUID {
		saveFailure(rw, http.StatusBadRequest, "Your flow could not be saved: another flow is already named "+strconv.Quote(fl.Name)+".", "name taken")
		return
	}
	user := currentUser(r.Context()).Name
	data, err := json.Marshal(fl)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	expect := f.Revision
	f.Name, f.Type, f.SpecVersion, f.Definition, f.ExpireAfterMins = fl.Name, string(fl.Type), fl.SpecVersion, data, fl.ExpireAfter()
	info := fl.Inspect(w.assetIndex(r.Context(), ws))
	f.HasIssues = len(info.Issues) > 0
	if err := w.cfg.Store.SaveFlow(r.Context(), f, expect, user); errors.Is(err, store.ErrConflict) {
		current, gerr := w.cfg.Store.GetFlow(r.Context(), ws.ID, f.UUID)
		if gerr != nil {
			w.serverError(rw, r, gerr)
			return
		}
		w.conflict(rw, r, current)
		return
	} else if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.cfg.Runtime.Invalidate(ws.ID)
	rev := &store.FlowRevision{FlowID: f.ID, Revision: f.Revision, SpecVersion: f.SpecVersion, CreatedBy: user, CreatedOn: f.ModifiedOn}
	writeJSON(rw, http.StatusOK, map[string]any{"status": "success", "saved_on": f.ModifiedOn.UTC().Format(time.RFC3339Nano),
		"revision": revisionJSON(rev, true), "info": info, "issues": info.Issues, "metadata": metadata(info)})
}

// conflict answers a save made from an older revision than the stored one.
func (w *Web) conflict(rw http.ResponseWriter, r *http.Request, current *store.Flow) {
	by := "Someone"
	if revs, err := w.cfg.Store.ListFlowRevisions(r.Context(), current.ID, 1); err == nil && len(revs) == 1 && revs[0].CreatedBy != "" {
		by = revs[0].CreatedBy
	}
	saveFailure(rw, http.StatusConflict, by+" has saved a newer version of this flow (revision "+strconv.Itoa(current.Revision)+
		"). Your changes will not be saved until you refresh your browser.", "revision conflict")
}
