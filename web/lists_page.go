package web

import (
	"net/http"
	"strconv"

	"careflow/store"
)

// listPageSize is how many rows the message and log lists show per page.
const listPageSize = 50

// msgFolders are the message lists: received, waiting to send or sent, and failed.
var msgFolders = map[string]func(q *store.MsgQuery){
	"inbox": func(q *store.MsgQuery) { in := true; q.Incoming = &in },
	"outbox": func(q *store.MsgQuery) {
		out := false
		q.Incoming = &out
		q.Statuses = []string{"initializing", "queued", "errored", "wired", "sent", "delivered", "read"}
	},
	"failed": func(q *store.MsgQuery) { out := false; q.Incoming = &out; q.Statuses = []string{"failed"} },
}

type msgsData struct {
	Folder string
	Msgs   []*store.Msg
	Next   int64
}

// msgsPage lists messages newest first, a page at a time (keyset paging on the ID).
func (w *Web) msgsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	folder := r.URL.Query().Get("folder")
	if msgFolders[folder] == nil {
		folder = "inbox"
	}
	q := store.MsgQuery{Limit: listPageSize + 1}
	q.BeforeID, _ = strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	msgFolders[folder](&q)
	msgs, err := w.cfg.Store.ListMsgs(r.Context(), ws.ID, q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d := msgsData{Folder: folder, Msgs: msgs}
	if len(msgs) > listPageSize {
		d.Msgs = msgs[:listPageSize]
		d.Next = d.Msgs[listPageSize-1].ID
	}
	w.render(rw, r, "msgs.html", "Messages", "msgs", d)
}

// triggersPage lists the workspace's triggers.
func (w *Web) triggersPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListTriggers(r.Context(), ws.ID, false)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	flows := map[string]string{}
	if fl, err := w.cfg.Store.ListFlows(r.Context(), ws.ID, false); err == nil {
		for _, f := range fl {
			flows[f.UUID] = f.Name
		}
	}
	w.render(rw, r, "triggers.html", "Triggers", "triggers", struct {
		Triggers []*store.Trigger
		Flows    map[string]string
	}{list, flows})
}

// globalsPage lists the workspace's globals.
func (w *Web) globalsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListGlobals(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.render(rw, r, "globals.html", "Globals", "globals", list)
}

// webhooksPage lists the HTTP calls flows made, newest first, a page at a time.
func (w *Web) webhooksPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	q := store.HTTPLogQuery{Limit: listPageSize + 1}
	q.BeforeID, _ = strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	logs, err := w.cfg.Store.ListHTTPLogs(r.Context(), ws.ID, q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	var next int64
	if len(logs) > listPageSize {
		logs = logs[:listPageSize]
		next = logs[listPageSize-1].ID
	}
	w.render(rw, r, "webhooks.html", "Webhook logs", "webhooks", struct {
		Logs []*store.HTTPLog
		Next int64
	}{logs, next})
}
