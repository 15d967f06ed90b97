package web

import (
	"net/http"
	"strconv"
	"time"

	"careflow/store"
)

// The CHT side of the console: users, and outbound pushes with their state, attempts and
// errors (dead ones can be re-queued). Both are for CHT administrators only.

// chtAdmin answers 403 for a signed-in user who is not a CHT admin.
func chtAdmin(rw http.ResponseWriter, r *http.Request) bool {
	if u := currentUser(r.Context()); u == nil || !u.IsAdmin() {
		http.Error(rw, "Only CHT administrators can see this page.", http.StatusForbidden)
		return false
	}
	return true
}

type chtUser struct {
	Name    string
	Roles   []string
	Created time.Time
}

func (w *Web) chtUsersPage(rw http.ResponseWriter, r *http.Request) {
	if !chtAdmin(rw, r) {
		return
	}
	list, err := w.cfg.Users.List(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	users := make([]chtUser, 0, len(list))
	for _, u := range list {
		users = append(users, chtUser{Name: u.Name, Roles: u.Roles, Created: time.UnixMilli(u.CreatedAt)})
	}
	w.render(rw, r, "cht_users.html", "CHT users", "cht", users)
}

type pushRow struct {
	store.Push
	Updated time.Time
	Next    time.Time
}

type pushesData struct {
	State   string
	Config  string
	Pushes  []pushRow
	Offset  int
	Next    int
	Counts  map[string]int64
	Message string
}

// pushStates are the states the page filters by.
var pushStates = map[string]store.PushState{"pending": store.PushPending, "sent": store.PushSent, "dead": store.PushDead}

func (w *Web) chtOutboundPage(rw http.ResponseWriter, r *http.Request) {
	w.renderPushes(rw, r, "")
}

func (w *Web) renderPushes(rw http.ResponseWriter, r *http.Request, msg string) {
	if !chtAdmin(rw, r) {
		return
	}
	if w.cfg.Pushes == nil {
		http.Error(rw, "Outbound push is not running on this server.", http.StatusNotFound)
		return
	}
	d := pushesData{State: r.URL.Query().Get("state"), Config: r.URL.Query().Get("config"), Message: msg}
	d.Offset, _ = strconv.Atoi(r.URL.Query().Get("offset"))
	if d.Offset < 0 {
		d.Offset = 0
	}
	q := store.PushQuery{State: pushStates[d.State], Config: d.Config, Limit: listPageSize + 1, Offset: d.Offset}
	list, err := w.cfg.Pushes.ListPushes(r.Context(), q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if len(list) > listPageSize {
		list = list[:listPageSize]
		d.Next = d.Offset + listPageSize
	}
	for _, p := range list {
		d.Pushes = append(d.Pushes, pushRow{Push: p, Updated: time.UnixMilli(p.UpdatedAt), Next: time.UnixMilli(p.NextAt)})
	}
	counts, err := w.cfg.Pushes.CountPushes(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d.Counts = map[string]int64{}
	for state, n := range counts {
		d.Counts[string(state)] = n
	}
	w.render(rw, r, "cht_outbound.html", "Outbound pushes", "cht", d)
}

// chtRequeue re-queues one dead push, or every dead push of a config.
func (w *Web) chtRequeue(rw http.ResponseWriter, r *http.Request) {
	if !chtAdmin(rw, r) {
		return
	}
	if w.cfg.Requeue == nil {
		http.Error(rw, "Outbound push is not running on this server.", http.StatusNotFound)
		return
	}
	q := store.PushQuery{State: store.PushDead, Config: r.PostFormValue("config")}
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil {
		q.IDs = []int64{id}
	}
	if len(q.IDs) == 0 && q.Config == "" {
		rw.WriteHeader(http.StatusBadRequest)
		w.renderPushes(rw, r, "Say which push (id) or config to re-queue.")
		return
	}
	n, err := w.cfg.Requeue(r.Context(), q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.renderPushes(rw, r, strconv.FormatInt(n, 10)+" dead push(es) re-queued.")
}
