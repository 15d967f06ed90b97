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
}

// flowsPage lists the workspace's flows (active or archived) with import, export and archive.
func (w *Web) flowsPage(rw http.ResponseWriter, r *http.Request) {
	w.renderFlows(rw, r, http.StatusOK, "", "")
}

func (w *Web) renderFlows(rw http.ResponseWriter, r *http.Request, status int, msg, problem string) {
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
	w.render(rw, r, "flows.html", "Flows", "flows", flowsData{Flows: flows, Archived: archived, Message: msg, Error: problem})
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
		w.renderFlows(rw, r, http.StatusBadRequest, "", "Choose an export file to import.")
		return
	}
	defer file.Close()
	data, err := readAllLimit(file, 32<<20)
	if err != nil {
		w.renderFlows(rw, r, http.StatusBadRequest, "", err.Error())
		return
	}
	res, err := w.cfg.Runtime.Import(r.Context(), ws.ID, data, currentUser(r.Context()).Name)
	var bad *runtime.ImportError
	if errors.As(err, &bad) {
		w.renderFlows(rw, r, http.StatusBadRequest, "", "The file was not imported: "+bad.Error())
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.renderFlows(rw, r, http.StatusOK, fmt.Sprintf("Imported %d flows, %d fields, %d groups, %d triggers.", res.Flows, res.Fields, res.Groups, res.Triggers), "")
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
