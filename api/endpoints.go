package api

import (
	"net/http"
	"sort"
)

type handlerFunc func(*call) error

// endpoint is one /api/v2/<name>.json resource and its methods.
type endpoint struct {
	name     string
	throttle string // throttle scope; "" is "v2"
	// editors limits even reading to administrators and editors, as RapidPro grants
	// viewers no permission on these endpoints.
	editors bool
	get     handlerFunc
	post    handlerFunc
	del     handlerFunc
}

func (e *endpoint) handler(method string) handlerFunc {
	switch method {
	case http.MethodGet, http.MethodHead:
		return e.get
	case http.MethodPost:
		return e.post
	case http.MethodDelete:
		return e.del
	}
	return nil
}

func (e *endpoint) scope() string {
	if e.throttle == "" {
		return "v2"
	}
	return e.throttle
}

// endpoints is every endpoint careflow serves. RapidPro's archives, media, tickets, topics,
// users, boundaries, statistics and channel_events are not served (see docs/api.md for why).
var endpoints = []*endpoint{
	{name: "broadcasts", get: listBroadcasts, post: postBroadcast},
	{name: "campaigns", get: listCampaigns, post: postCampaign},
	{name: "campaign_events", get: listCampaignEvents, post: postCampaignEvent, del: deleteCampaignEvent},
	{name: "channels", get: listChannels},
	{name: "contacts", throttle: "v2.contacts", get: listContacts, post: postContact, del: deleteContact},
	{name: "contact_actions", post: postContactActions},
	{name: "definitions", editors: true, get: getDefinitions, post: postDefinitions},
	{name: "fields", get: listFields, post: postField},
	{name: "flow_starts", get: listFlowStarts, post: postFlowStart},
	{name: "flows", get: listFlows},
	{name: "globals", get: listGlobals, post: postGlobal},
	{name: "groups", get: listGroups, post: postGroup, del: deleteGroup},
	{name: "labels", get: listLabels, post: postLabel, del: deleteLabel},
	{name: "messages", throttle: "v2.messages", get: listMessages, post: postMessage},
	{name: "message_actions", post: postMessageActions},
	{name: "org", get: getWorkspace},
	{name: "resthooks", editors: true, get: listResthooks},
	{name: "resthook_events", editors: true, get: listResthookEvents},
	{name: "resthook_subscribers", editors: true, get: listResthookSubscribers, post: postResthookSubscriber, del: deleteResthookSubscriber},
	{name: "runs", throttle: "v2.runs", get: listRuns},
	{name: "workspace", get: getWorkspace},
}

var endpointIndex = func() map[string]*endpoint {
	m := map[string]*endpoint{}
	for _, e := range endpoints {
		m[e.name] = e
	}
	return m
}()

func endpointByName(name string) *endpoint { return endpointIndex[name] }

// serveIndex answers GET /api/v2/ (and /api/v2/.json) with the endpoints and their absolute
// URLs, as RapidPro's root view does. It needs no authentication.
func (a *API) serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, detail(`Method "`+r.Method+`" not allowed.`))
		return
	}
	names := make([]string, 0, len(endpoints))
	for _, e := range endpoints {
		names = append(names, e.name)
	}
	sort.Strings(names)
	base := a.baseURL(r) + "/api/v2/"
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = base + n
	}
	writeJSON(w, http.StatusOK, out)
}
