package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"careflow/api"
	"careflow/runtime"
	"careflow/store"
)

type resthookRow struct {
	*store.Resthook
	Subscribers []*store.ResthookSubscriber
}

type resthooksData struct {
	Hooks   []resthookRow
	CanEdit bool
	// Slug is what the add form was sent, kept when it is refused.
	Slug    string
	Message string
	Error   string
	Loc     *time.Location
}

// resthooksPage is RapidPro's resthooks page: the workspace's resthooks with their
// subscribers, a form adding one by slug and a button removing each. As in RapidPro only
// administrators and editors see it.
func (w *Web) resthooksPage(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	msg := ""
	if s := q.Get("created"); s != "" {
		msg = "Resthook " + s + " created: flows can call it and systems subscribe to it on the API (resthook_subscribers)."
	} else if s := q.Get("removed"); s != "" {
		msg = "Resthook " + s + " removed with its subscribers: flows calling it now call no one."
	}
	w.renderResthooks(rw, r, http.StatusOK, "", msg, "")
}

// resthookWorkspace is the workspace of a user who may manage resthooks (administrators and
// editors); otherwise it answers the request and returns false.
func (w *Web) resthookWorkspace(rw http.ResponseWriter, r *http.Request) (*store.Workspace, bool) {
	if !api.MayHoldTokens(currentUser(r.Context()).Roles) {
		http.Error(rw, "Only workspace administrators and editors manage resthooks.", http.StatusForbidden)
		return nil, false
	}
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	return ws, true
}

func (w *Web) renderResthooks(rw http.ResponseWriter, r *http.Request, status int, slug, msg, problem string) {
	ws, ok := w.resthookWorkspace(rw, r)
	if !ok {
		return
	}
	hooks, err := w.cfg.Store.ListResthooks(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	subs, err := w.cfg.Store.ListResthookSubscribers(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d := resthooksData{CanEdit: true, Slug: slug, Message: msg, Error: problem, Loc: workspaceLocation(ws)}
	for _, h := range hooks {
		row := resthookRow{Resthook: h}
		for _, s := range subs {
			if s.Resthook == h.Slug {
				row.Subscribers = append(row.Subscribers, s)
			}
		}
		d.Hooks = append(d.Hooks, row)
	}
	if status != http.StatusOK {
		rw.WriteHeader(status)
	}
	w.render(rw, r, "resthooks.html", "Resthooks", "resthooks", d)
}

// resthookCreate adds a resthook from the form's new_slug.
func (w *Web) resthookCreate(rw http.ResponseWriter, r *http.Request) {
	ws, ok := w.resthookWorkspace(rw, r)
	if !ok {
		return
	}
	slug := r.PostFormValue("new_slug")
	h, err := w.cfg.Runtime.CreateResthook(r.Context(), ws.ID, slug)
	var ie *runtime.InvalidError
	if errors.As(err, &ie) {
		w.renderResthooks(rw, r, http.StatusBadRequest, slug, "", formProblem(ie.Msg))
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/resthooks/?created="+url.QueryEscape(h.Slug), http.StatusSeeOther)
}

// resthookRemove removes the form's resthook (field "slug") and its subscribers.
func (w *Web) resthookRemove(rw http.ResponseWriter, r *http.Request) {
	ws, ok := w.resthookWorkspace(rw, r)
	if !ok {
		return
	}
	slug := strings.TrimSpace(r.PostFormValue("slug"))
	err := w.cfg.Runtime.DeleteResthook(r.Context(), ws.ID, slug)
	if errors.Is(err, store.ErrNotFound) || slug == "" {
		w.renderResthooks(rw, r, http.StatusNotFound, "", "", "No resthook "+slug+" in this workspace (it may have been removed already).")
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/resthooks/?removed="+url.QueryEscape(slug), http.StatusSeeOther)
}

var fieldPrefix = regexp.MustCompile(`^[a-z_]+: `)

// formProblem turns a runtime error naming its field ("resthook: this event name has ...")
// into a sentence for the page.
func formProblem(msg string) string {
	msg = fieldPrefix.ReplaceAllString(msg, "")
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}
