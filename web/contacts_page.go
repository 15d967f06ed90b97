package web

import (
	"net/http"
	"strconv"

	"careflow/store"
)

// contactsPageSize is how many contacts a page of the contacts list shows.
const contactsPageSize = 50

type contactRow struct {
	*store.Contact
	URN string
}

type contactsData struct {
	Contacts []contactRow
	Query    string
	Error    string
	Total    int64
	Next     int64 // the after= of the next page, 0 for none
	After    int64
}

// contactsPage lists contacts a page at a time (keyset paging on the ID); a contactql search
// runs in the database (runtime.SearchContacts), with the same results as evaluating it on
// every contact.
func (w *Web) contactsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d := contactsData{Query: r.URL.Query().Get("search")}
	d.After, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if d.Total, err = w.cfg.Store.CountContacts(r.Context(), ws.ID); err != nil {
		w.serverError(rw, r, err)
		return
	}
	view, err := w.cfg.Runtime.Workspace(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	// One page plus one row tells whether there is a next page.
	var page []*store.Contact
	if d.Query == "" {
		page, err = w.cfg.Store.ScanContacts(r.Context(), ws.ID, d.After, contactsPageSize+1)
	} else {
		q, perr := view.Assets.ParseQuery(view.Env, d.Query)
		if perr != nil {
			rw.WriteHeader(http.StatusBadRequest)
			d.Error = "The search is not valid: " + perr.Error()
			w.render(rw, r, "contacts.html", "Contacts", "contacts", d)
			return
		}
		page, err = w.cfg.Runtime.SearchContacts(r.Context(), view, q, d.After, contactsPageSize+1)
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	for _, c := range page {
		row := contactRow{Contact: c}
		if len(c.URNs) > 0 {
			row.URN = c.URNs[0].Identity
		}
		d.Contacts = append(d.Contacts, row)
	}
	if len(d.Contacts) > contactsPageSize {
		d.Contacts = d.Contacts[:contactsPageSize]
		d.Next = d.Contacts[contactsPageSize-1].ID
	}
	w.render(rw, r, "contacts.html", "Contacts", "contacts", d)
}

type contactData struct {
	Contact *store.Contact
	Msgs    []*store.Msg
	Runs    []*store.Run
	Fields  string
}

// contactPage shows a contact and its history: messages as a chat, and its flow runs.
func (w *Web) contactPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	c, err := w.cfg.Store.GetContactByUUID(r.Context(), ws.ID, r.PathValue("uuid"))
	if err != nil {
		http.Error(rw, "No contact with this UUID.", http.StatusNotFound)
		return
	}
	msgs, err := w.cfg.Store.ListMsgs(r.Context(), ws.ID, store.MsgQuery{ContactID: c.ID, Limit: 100})
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	// oldest first, as a chat reads
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	runs, err := w.cfg.Store.ListRuns(r.Context(), ws.ID, store.RunQuery{ContactID: c.ID, Limit: 20})
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.render(rw, r, "contact.html", c.Name, "contacts", contactData{Contact: c, Msgs: msgs, Runs: runs, Fields: string(c.Fields)})
}
