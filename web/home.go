package web

import (
	"net/http"

	"careflow/store"
)

// homePage shows the workspace and the console's sections.
func (w *Web) homePage(rw http.ResponseWriter, r *http.Request) {
	list, err := w.cfg.Store.ListWorkspaces(r.Context())
	if err != nil || len(list) == 0 {
		w.serverError(rw, r, err)
		return
	}
	w.render(rw, r, "home.html", "Home", "", struct {
		Workspace  *store.Workspace
		Workspaces []*store.Workspace
	}{list[0], list})
}
