package chthttp

import (
	"mime"
	"net/http"

	"careflow/cht"
)

func (a *API) registerCredentials(mux *http.ServeMux) {
	mux.HandleFunc("PUT /api/v1/credentials/{key}", a.route(access{admin: true}, a.putCredential))
}

// putCredential stores the text/plain body as the credential {key} (§1.7). There is no read
// route: secrets are write-only.
func (a *API) putCredential(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := a.readText(r, 0)
	if err != nil {
		return err
	}
	if mt != "text/plain" || len(body) == 0 {
		return &cht.Error{Status: http.StatusBadRequest, Message: "Missing required request body"}
	}
	if err := a.Credentials.Set(r.Context(), r.PathValue("key"), string(body)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	return nil
}
