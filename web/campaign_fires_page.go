package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// A campaign's next fires are read from the timer table: the pending fires of each event's
// current version, soonest first, a page at a time (keyset on fire time and fire ID).

type fireRow struct {
	*store.CampaignFire
	Event *store.CampaignEvent
}

type eventView struct {
	*store.CampaignEvent
	Pending int64
}

type campaignData struct {
	Campaign *store.Campaign
	Group    string
	Events   []eventView
	// Event is set on an event's page: its fires only.
	Event   *eventView
	Flows   map[string]string
	Pending int64
	Fires   []fireRow
	Next    string
	After   bool
	Loc     *time.Location
	Zone    string
}

// campaignPage shows a campaign's events, how many fires each has pending, and the next fires
// of all of them.
func (w *Web) campaignPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	c, err := w.cfg.Store.GetCampaign(r.Context(), ws.ID, r.PathValue("uuid"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(rw, "No campaign with this UUID in the workspace.", http.StatusNotFound)
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.renderCampaign(rw, r, ws, c, "")
}

// campaignEventPage shows one event and its next fires.
func (w *Web) campaignEventPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	e, err := w.cfg.Store.GetCampaignEvent(r.Context(), ws.ID, r.PathValue("uuid"))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(rw, "No campaign event with this UUID in the workspace.", http.StatusNotFound)
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListCampaigns(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	for _, c := range list {
		if c.ID == e.CampaignID {
			w.renderCampaign(rw, r, ws, c, e.UUID)
			return
		}
	}
	http.Error(rw, "This event's campaign is gone.", http.StatusNotFound)
}

func (w *Web) renderCampaign(rw http.ResponseWriter, r *http.Request, ws *store.Workspace, c *store.Campaign, eventUUID string) {
	ctx := r.Context()
	q := store.CampaignFireQuery{Limit: listPageSize + 1}
	if after := r.URL.Query().Get("after"); after != "" {
		on, id, ok := strings.Cut(after, ".")
		ms, err1 := strconv.ParseInt(on, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil || n <= 0 {
			http.Error(rw, "after: expected <milliseconds>.<fire id> from the Later link.", http.StatusBadRequest)
			return
		}
		q.AfterOn, q.AfterID = time.UnixMilli(ms), n
	}
	events, err := w.cfg.Store.ListCampaignEvents(ctx, ws.ID, c.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	loc := workspaceLocation(ws)
	d := campaignData{Campaign: c, Flows: w.flowNames(r), Loc: loc, Zone: loc.String(), After: q.AfterID != 0}
	if g, err := w.groupName(r, ws.ID, c.GroupID); err == nil {
		d.Group = g
	}
	byScope := map[string]*store.CampaignEvent{}
	var scopes []string
	for _, e := range events {
		if eventUUID != "" && e.UUID != eventUUID {
			continue
		}
		byScope[e.Scope()] = e
		scopes = append(scopes, e.Scope())
	}
	counts, err := w.countFires(r, ws.ID, scopes)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	for _, e := range events {
		v := eventView{CampaignEvent: e, Pending: counts[e.Scope()]}
		d.Events = append(d.Events, v)
		if e.UUID == eventUUID {
			d.Event = &v
		}
		if byScope[e.Scope()] != nil {
			d.Pending += v.Pending
		}
	}
	// an event page lists that event only; the campaign page caps its scopes like the store
	if len(scopes) > maxScopesPerQuery {
		scopes = scopes[:maxScopesPerQuery]
	}
	q.Scopes = scopes
	fires, err := w.cfg.Store.ListCampaignFires(ctx, ws.ID, q)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if len(fires) > listPageSize {
		fires = fires[:listPageSize]
		last := fires[listPageSize-1]
		d.Next = fmt.Sprintf("%d.%d", last.FireOn.UnixMilli(), last.ID)
	}
	for _, f := range fires {
		d.Fires = append(d.Fires, fireRow{CampaignFire: f, Event: byScope[f.Scope]})
	}
	title := c.Name
	if d.Event != nil {
		title = c.Name + " · event"
	}
	w.render(rw, r, "campaign.html", title, "campaigns", d)
}

// maxScopesPerQuery is how many event versions one fires query names (the store's bound).
const maxScopesPerQuery = 200

// countFires counts pending fires per scope, maxScopesPerQuery at a time.
func (w *Web) countFires(r *http.Request, wsID int64, scopes []string) (map[string]int64, error) {
	out := map[string]int64{}
	for len(scopes) > 0 {
		n := min(len(scopes), maxScopesPerQuery)
		counts, err := w.cfg.Store.CountCampaignFires(r.Context(), wsID, scopes[:n])
		if err != nil {
			return nil, err
		}
		for k, v := range counts {
			out[k] = v
		}
		scopes = scopes[n:]
	}
	return out, nil
}

// flowNames maps the workspace's flow UUIDs to names.
func (w *Web) flowNames(r *http.Request) map[string]string {
	out := map[string]string{}
	ws, err := w.workspace(r.Context())
	if err != nil {
		return out
	}
	if fl, err := w.cfg.Store.ListFlows(r.Context(), ws.ID, false); err == nil {
		for _, f := range fl {
			out[f.UUID] = f.Name
		}
	}
	return out
}

func (w *Web) groupName(r *http.Request, wsID, groupID int64) (string, error) {
	gl, err := w.cfg.Store.ListGroups(r.Context(), wsID)
	if err != nil {
		return "", err
	}
	for _, g := range gl {
		if g.ID == groupID {
			return g.Name, nil
		}
	}
	return "", store.ErrNotFound
}
