package web

import (
	"net/http"
	"strconv"

	"careflow/store"
)

type campaignView struct {
	*store.Campaign
	Group  string
	Events []eventView
}

// campaignsPage lists the campaigns with their events (what fires, relative to which date)
// and how many fires each event has pending.
func (w *Web) campaignsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	list, err := w.cfg.Store.ListCampaigns(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	groups := map[int64]string{}
	if gl, err := w.cfg.Store.ListGroups(r.Context(), ws.ID); err == nil {
		for _, g := range gl {
			groups[g.ID] = g.Name
		}
	}
	all, err := w.cfg.Store.ListCampaignEvents(r.Context(), ws.ID, 0)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	scopes := make([]string, len(all))
	for i, e := range all {
		scopes[i] = e.Scope()
	}
	counts, err := w.countFires(r, ws.ID, scopes)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	byCampaign := map[int64][]eventView{}
	for _, e := range all {
		byCampaign[e.CampaignID] = append(byCampaign[e.CampaignID], eventView{CampaignEvent: e, Pending: counts[e.Scope()]})
	}
	var out []campaignView
	for _, c := range list {
		out = append(out, campaignView{Campaign: c, Group: groups[c.GroupID], Events: byCampaign[c.ID]})
	}
	w.render(rw, r, "campaigns.html", "Campaigns", "campaigns", struct {
		Campaigns []campaignView
		Flows     map[string]string
	}{out, w.flowNames(r)})
}

// channelsPage lists the workspace's channels; ?channel=<uuid> shows that channel's logs,
// newest first, a page at a time.
func (w *Web) channelsPage(rw http.ResponseWriter, r *http.Request) {
	ws, err := w.workspace(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	chans, err := w.cfg.Store.ListChannels(r.Context(), ws.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	d := struct {
		Channels []*store.Channel
		Channel  string
		Logs     []*store.ChannelLog
		Next     int64
	}{Channels: chans, Channel: r.URL.Query().Get("channel")}
	if d.Channel != "" && w.cfg.ChannelLogs != nil {
		known := false
		for _, c := range chans {
			known = known || c.UUID == d.Channel
		}
		if !known {
			http.Error(rw, "No channel with this UUID in the workspace.", http.StatusNotFound)
			return
		}
		before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
		logs, err := w.cfg.ChannelLogs(r.Context(), d.Channel, before, listPageSize+1)
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		if len(logs) > listPageSize {
			logs = logs[:listPageSize]
			d.Next = logs[listPageSize-1].ID
		}
		d.Logs = logs
	}
	w.render(rw, r, "channels.html", "Channels", "channels", d)
}
