package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"careflow/store"
)

// editorConfig is the React editor's configuration (FlowEditorConfig): the flow, its type and
// where each asset list and endpoint is.
type editorConfig struct {
	Flow         string            `json:"flow"`
	FlowType     string            `json:"flowType"`
	LocalStorage bool              `json:"localStorage"`
	Mutable      bool              `json:"mutable"`
	ShowDownload bool              `json:"showDownload"`
	Filters      []string          `json:"filters"`
	Brand        string            `json:"brand"`
	Help         map[string]string `json:"help"`
	Endpoints    map[string]any    `json:"endpoints"`
}

// editorTypes maps careflow's stored flow types to the editor's.
var editorTypes = map[string]string{
	"messaging": "message", "messaging_background": "background", "messaging_offline": "survey", "voice": "voice",
}

type editorData struct {
	Flow      *store.Flow
	Workspace *store.Workspace
	Config    editorConfig
	AssetBase string
	JS, CSS   []string
}

func (w *Web) editorData(rw http.ResponseWriter, r *http.Request) (*editorData, bool) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	f, err := w.cfg.Store.GetFlow(r.Context(), ws.ID, r.PathValue("uuid"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(rw, "No flow with this UUID.", http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	// The timestamp part busts the editor's local cache of asset lists between page loads.
	base := fmt.Sprintf("/flow/assets/%d/%d/", ws.ID, time.Now().UnixMilli())
	u := "/flow/revisions/" + f.UUID + "/"
	cfg := editorConfig{
		Flow: f.UUID, FlowType: editorTypes[f.Type], LocalStorage: true, Mutable: !f.Archived, ShowDownload: true,
		Filters: []string{}, Brand: "careflow",
		Help: map[string]string{"legacy_extra": "/help/", "missing_dependency": "/help/", "invalid_regex": "/help/"},
		Endpoints: map[string]any{
			"groups": base + "groups", "fields": base + "fields", "labels": base + "labels", "optins": base + "optins",
			"channels": base + "channels", "classifiers": base + "classifiers", "resthooks": base + "resthooks",
			"templates": base + "templates", "flows": base + "flows", "globals": base + "globals", "users": base + "users",
			"topics": base + "topics", "llms": base + "llms", "languages": base + "language",
			"recipients": base + "recipients", "contacts": base + "contacts",
			"editor": "/flow/editor", "revisions": u, "recents": "/flow/recent_contacts/" + f.UUID + "/",
			"attachments": "/msg/media_upload/", "activity": "/flow/activity/" + f.UUID + "/",
			"contact": "/contact/read/", "simulateStart": "/flow/simulate/" + f.UUID + "/",
			"simulateResume": "/flow/simulate/" + f.UUID + "/",
		},
	}
	if cfg.FlowType == "" {
		cfg.FlowType = "message"
	}
	// The editors offer the resthook action only to workspaces that have resthooks, as
	// RapidPro's feature filters do.
	if hooks, err := w.cfg.Store.ListResthooks(r.Context(), ws.ID); err == nil && len(hooks) > 0 {
		cfg.Filters = append(cfg.Filters, "resthook")
	}
	js, css := editorFiles()
	return &editorData{Flow: f, Workspace: ws, Config: cfg, AssetBase: base, JS: js, CSS: css}, true
}

// editorPage is RapidPro's /flow/editor/<uuid>/ with the React editor (showFlowEditor).
func (w *Web) editorPage(rw http.ResponseWriter, r *http.Request) {
	d, ok := w.editorData(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, "editor.html", d.Flow.Name, "flows", d)
}

// editorNextPage is the same flow in the newer <temba-flow-editor>.
func (w *Web) editorNextPage(rw http.ResponseWriter, r *http.Request) {
	d, ok := w.editorData(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, "editor_next.html", d.Flow.Name, "flows", d)
}
