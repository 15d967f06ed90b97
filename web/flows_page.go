package web

import (
	"errors"
	"fmt"
	"net/http"

	"careflow/runtime"
	"careflow/store"
)

type flowsData struct {
	Flows    []*store.Flow
	Archived bool
	Message  string
	Error    string
	// Import is what the last import did, item by item; Problems why a file was refused.
	Import   *runtime.ImportResult
	Problems []string
}

// flowsPage lists the workspace's flows (active or archived) with import, export and archive.
func (w *Web) flowsPage(rw http.ResponseWriter, r *http.Request) {
	w.renderFlows(rw, r, http.StatusOK, flowsData{})
}

func (w *Web) renderFlows(rw http.ResponseWriter, r *http.Request, status int, d flowsData) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	archived := r.URL.Query().Get("archived") == "1"
	flows, err := w.cfg.Store.ListFlows(r.Context(), ws.ID, archived)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if status != http.StatusOK {
		rw.WriteHeader(status)
	}
	d.Flows, d.Archived = flows, archived
	w.render(rw, r, "flows.html", "Flows", "flows", d)
}

// flowImport imports a RapidPro export file uploaded from the flows page.
func (w *Web) flowImport(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		w.renderFlows(rw, r, http.StatusBadRequest, flowsData{Error: "Choose an export file to import."})
		return
	}
	defer file.Close()
	data, err := readAllLimit(file, 32<<20)
	if err != nil {
		w.renderFlows(rw, r, http.StatusBadRequest, flowsData{Error: err.Error()})
		return
	}
	res, err := w.cfg.Runtime.Import(r.Context(), ws.ID, data, currentUser(r.Context()).Name)
	var bad *runtime.ImportError
	if errors.As(err, &bad) {
		w.renderFlows(rw, r, http.StatusBadRequest, flowsData{Error: "The file was not imported; nothing was changed.", Problems: bad.Problems})
		return
	}
	if err != nil {
		// Items are written one by one: what was done before the failure stays, and is shown.
		w.cfg.Log.Error("flow import failed part way", "error", err)
		if res == nil {
			w.serverError(rw, r, err)
			return
		}
		w.renderFlows(rw, r, http.StatusInternalServerError, flowsData{Error: "The import stopped part way (an internal error); what it did before stopping is listed.", Import: res})
		return
	}
	w.renderFlows(rw, r, http.StatusOK, flowsData{Import: res,
		Message: fmt.Sprintf("Imported %d flows, %d fields, %d groups, %d triggers.", res.Flows, res.Fields, res.Groups, res.Triggers)})
}

// flowExport downloads one flow as a RapidPro export file.
func (w *Web) flowExport(rw http.ResponseWriter, r *http.Request) {
	_, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	data := fmt.Appendf(nil, `{"version":"13","site":"careflow","flows":[%s],"campaigns":[],"triggers":[],"fields":[],"groups":[]}`, f.Definition)
	rw.Header().Set("Content-Type", "application/json")
	rw.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, safeFilename(f.Name)))
	_, _ = rw.Write(data)
}

// flowArchive archives (or, with restore=1, restores) a flow.
func (w *Web) flowArchive(rw http.ResponseWriter, r *http.Request) {
	ws, f, ok := w.flowOf(rw, r)
	if !ok {
		return
	}
	restore := r.PostFormValue("restore") == "1"
	if err := w.cfg.Store.SetFlowArchived(r.Context(), ws.ID, f.UUID, !restore); err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.cfg.Runtime.Invalidate(ws.ID)
	http.Redirect(rw, r, "/flow/", http.StatusSeeOther)
}

func safeFilename(name string) string {
	out := []rune{}
	for _, c := range name {
		if c == '"' || c == '/' || c == '\\' || c < 32 {
			c = '_'
		}
		out = append(out, c)
	}
	return string(out)
}
