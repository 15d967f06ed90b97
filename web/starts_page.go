package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// Starts made from the console run like any other: the runtime resolves the groups and query
// to contacts in the background (pending → starting → queued, with the contact count) and each
// contact's task counts down "remaining" (started, then completed). The pages show that state
// as the store has it and refresh themselves until it is final.

// maxStartQuery bounds the contact query a console start takes.
const maxStartQuery = 2000

// startRefreshSeconds is how often a start's page reloads while the start runs.
const startRefreshSeconds = 2

type startForm struct {
	Flow   *store.Flow
	Groups []*store.Group
	Chosen map[string]bool
	Query  string
	Error  string
}

// flowStartForm asks whom to start a flow for.
func (w *Web) flowStartForm(rw http.ResponseWriter, r *http.Request) {
	w.renderStartForm(rw, r, http.StatusOK, startForm{})
}

func (w *Web) renderStartForm(rw http.ResponseWriter, r *http.Request, status int, d startForm) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	groups, err := w.cfg.Store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d.Flow, d.Groups = f, groups
	if status != http.StatusOK {
		rw.WriteHeader(status)
	}
	w.render(rw, r, "flow_start.html", "Start "+f.Name, "flows", d)
}

// flowStartPost starts a flow for groups and/or a contact query, then shows the start.
func (w *Web) flowStartPost(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(rw, "The form could not be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	d := startForm{Chosen: map[string]bool{}, Query: strings.TrimSpace(r.PostForm.Get("query"))}
	groups := r.PostForm["groups"]
	for _, g := range groups {
		d.Chosen[g] = true
	}
	fail := func(msg string) {
		d.Error = msg
		w.renderStartForm(rw, r, http.StatusBadRequest, d)
	}
	if len(d.Query) > maxStartQuery {
		fail("query: at most " + strconv.Itoa(maxStartQuery) + " characters.")
		return
	}
	if len(groups) == 0 && d.Query == "" {
		fail("Choose at least one group or write a contact query.")
		return
	}
	st := &store.FlowStart{WorkspaceID: ws.ID, FlowUUID: f.UUID, Type: "manual", GroupUUIDs: groups, Query: d.Query,
		CreatedBy:  currentUser(r.Context()).Name,
		Exclusions: store.Exclusions{InAFlow: r.PostForm.Get("exclude_in_flow") == "1", StartedPreviously: r.PostForm.Get("skip_started") == "1"}}
	err := w.cfg.Runtime.StartFlow(r.Context(), st)
	if errors.Is(err, runtime.ErrInvalid) {
		fail(err.Error())
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/flow/starts/"+strconv.FormatInt(st.ID, 10)+"/", http.StatusSeeOther)
}

// startProgress is a start's state for the pages and the status endpoint.
type startProgress struct {
	ID           int64     `json:"id"`
	UUID         string    `json:"uuid"`
	Flow         string    `json:"flow"`
	FlowUUID     string    `json:"flow_uuid"`
	Type         string    `json:"type"`
	Status       string    `json:"status"`
	Final        bool      `json:"final"`
	Resolved     bool      `json:"resolved"` // the contact count is known
	ContactCount int       `json:"contact_count"`
	Done         int       `json:"done"` // contacts whose start has been handled
	Remaining    int       `json:"remaining"`
	Percent      int       `json:"percent"`
	Error        string    `json:"error,omitempty"`
	Groups       []string  `json:"groups,omitempty"`
	Query        string    `json:"query,omitempty"`
	CreatedBy    string    `json:"created_by"`
	CreatedOn    time.Time `json:"created_on"`
	ModifiedOn   time.Time `json:"modified_on"`
}

func progressOf(st *store.FlowStart, flows map[string]string, groups map[string]string) startProgress {
	p := startProgress{ID: st.ID, UUID: st.UUID, Flow: flows[st.FlowUUID], FlowUUID: st.FlowUUID, Type: st.Type, Status: st.Status,
		ContactCount: st.ContactCount, Remaining: st.Remaining, Error: st.Error, Query: st.Query,
		CreatedBy: st.CreatedBy, CreatedOn: st.CreatedOn, ModifiedOn: st.ModifiedOn}
	switch st.Status {
	case store.StartCompleted, store.StartFailed, store.StartInterrupted:
		p.Final = true
	}
	switch st.Status {
	case store.StartQueued, store.StartStarted, store.StartCompleted:
		p.Resolved = true
	case store.StartInterrupted:
		p.Resolved = st.ContactCount > 0
	}
	if p.Resolved {
		p.Done = st.ContactCount - st.Remaining
		if st.ContactCount > 0 {
			p.Percent = p.Done * 100 / st.ContactCount
		} else {
			p.Percent = 100
		}
	}
	for _, g := range st.GroupUUIDs {
		name := groups[g]
		if name == "" {
			name = g
		}
		p.Groups = append(p.Groups, name)
	}
	return p
}

func (w *Web) groupNames(r *http.Request, wsID int64) map[string]string {
	out := map[string]string{}
	if gl, err := w.cfg.Store.ListGroups(r.Context(), wsID); err == nil {
		for _, g := range gl {
			out[g.UUID] = g.Name
		}
	}
	return out
}

type startsData struct {
	Starts []startProgress
	Next   int64
	Loc    *time.Location
	// Running says a start on this page is not final yet, so the page refreshes itself.
	Running bool
}

func (d startsData) refreshAfter() int {
	if d.Running {
		return startRefreshSeconds
	}
	return 0
}

// startsPage lists the workspace's flow starts, newest first, a page at a time.
func (w *Web) startsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before <= 0 {
			http.Error(rw, "before: expected a start ID from the Older link.", http.StatusBadRequest)
			return
		}
	}
	list, err := w.cfg.Store.ListStarts(r.Context(), ws.ID, before, listPageSize+1)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d := startsData{Loc: workspaceLocation(ws)}
	if len(list) > listPageSize {
		list = list[:listPageSize]
		d.Next = list[listPageSize-1].ID
	}
	flows, groups := w.flowNames(r), w.groupNames(r, ws.ID)
	for _, st := range list {
		p := progressOf(st, flows, groups)
		d.Running = d.Running || !p.Final
		d.Starts = append(d.Starts, p)
	}
	w.render(rw, r, "starts.html", "Flow starts", "starts", d)
}

// startOf is the start named by the path's {id}, in the workspace.
func (w *Web) startOf(rw http.ResponseWriter, r *http.Request) (*store.Workspace, *store.FlowStart, bool) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.Error(rw, "The start ID must be a positive number.", http.StatusBadRequest)
		return nil, nil, false
	}
	st, err := w.cfg.Store.GetStart(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && st.WorkspaceID != ws.ID) {
		http.Error(rw, "No flow start with this ID in the workspace.", http.StatusNotFound)
		return nil, nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, nil, false
	}
	return ws, st, true
}

type startData struct {
	Start startProgress
	Loc   *time.Location
}

func (d startData) refreshAfter() int {
	if d.Start.Final {
		return 0
	}
	return startRefreshSeconds
}

// startPage shows one start's progress, reloading itself until the start is final.
func (w *Web) startPage(rw http.ResponseWriter, r *http.Request) {
	ws, st, ok := w.startOf(rw, r)
	if !ok {
		return
	}
	d := startData{Start: progressOf(st, w.flowNames(r), w.groupNames(r, ws.ID)), Loc: workspaceLocation(ws)}
	w.render(rw, r, "start.html", "Flow start", "starts", d)
}

// startStatus answers a start's progress as JSON, for scripts polling it.
func (w *Web) startStatus(rw http.ResponseWriter, r *http.Request) {
	ws, st, ok := w.startOf(rw, r)
	if !ok {
		return
	}
	writeJSON(rw, http.StatusOK, progressOf(st, w.flowNames(r), w.groupNames(r, ws.ID)))
}
