package web

import (
	"net/http"

	"careflow/store"
)

// groupsPage lists the workspace's groups (smart ones with their query).
func (w *Web) groupsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.render(rw, r, "groups.html", "Groups", "contacts", list)
}

// fieldsPage lists the workspace's contact fields.
func (w *Web) fieldsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListFields(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.render(rw, r, "fields.html", "Fields", "contacts", struct{ Fields []*store.Field }{list})
}
