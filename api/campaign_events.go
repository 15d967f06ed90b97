package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"careflow/engine/event"
	"careflow/runtime"
	"careflow/store"
)

// Units as the API names them; the store keeps RapidPro's one-letter codes.
var (
	unitWords = map[string]string{store.CampaignUnitMinutes: "minutes", store.CampaignUnitHours: "hours", store.CampaignUnitDays: "days", store.CampaignUnitWeeks: "weeks"}
	unitCodes = map[string]string{"minutes": store.CampaignUnitMinutes, "hours": store.CampaignUnitHours, "days": store.CampaignUnitDays, "weeks": store.CampaignUnitWeeks}
	// startModeWords names an event's start mode for readers; the API does not write it.
	startModeWords = map[string]string{store.CampaignStartInterrupt: "interrupt", store.CampaignStartSkip: "skip", store.CampaignStartPassive: "passive"}
)

// relativeNames are the contact attributes an event may be relative to besides fields.
var relativeNames = map[string]string{store.CampaignRelativeCreatedOn: "Created On", store.CampaignRelativeLastSeenOn: "Last Seen On"}

// GET campaign_events.json: filters uuid, campaign (UUID or name); events of archived
// campaigns are left out; newest first.
func listCampaignEvents(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	camps, err := c.liveCampaigns()
	if err != nil {
		return err
	}
	var only *store.Campaign
	if ref := c.param("campaign"); ref != "" {
		if only = findCampaign(camps, ref); only == nil {
			// An unknown campaign matches nothing, as RapidPro's filter does.
			return c.page(nil, nil, false, pageReq{})
		}
	}
	byID := map[int64]*store.Campaign{}
	for _, x := range camps {
		byID[x.ID] = x
	}
	var campaignID int64
	if only != nil {
		campaignID = only.ID
	}
	events, err := c.api.Store.ListCampaignEvents(c.ctx(), c.ws.ID, campaignID)
	if err != nil {
		return err
	}
	fields, err := c.fieldNames()
	if err != nil {
		return err
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].ID > events[j].ID })
	var items []any
	var keys []cursorKey
	for _, e := range events {
		x := byID[e.CampaignID]
		if x == nil || (uuid != "" && e.UUID != uuid) {
			continue
		}
		items = append(items, eventItem(w, x, e, fields))
		keys = append(keys, cursorKey{ID: e.ID})
	}
	return c.slicePage(items, func(i int) cursorKey { return keys[i] })
}

// liveCampaigns is the workspace's campaigns that are not archived: the ones this API serves.
func (c *call) liveCampaigns() ([]*store.Campaign, error) {
	all, err := c.api.Store.ListCampaigns(c.ctx(), c.ws.ID)
	if err != nil {
		return nil, err
	}
	var out []*store.Campaign
	for _, x := range all {
		if !x.Archived {
			out = append(out, x)
		}
	}
	return out, nil
}

// findCampaign finds a campaign by UUID or (case-insensitive) name.
func findCampaign(list []*store.Campaign, ref string) *store.Campaign {
	for _, x := range list {
		if strings.EqualFold(x.UUID, ref) {
			return x
		}
	}
	for _, x := range list {
		if strings.EqualFold(x.Name, ref) {
			return x
		}
	}
	return nil
}

// fieldNames maps the workspace's contact field keys to names and types.
func (c *call) fieldNames() (map[string]*store.Field, error) {
	list, err := c.api.Store.ListFields(c.ctx(), c.ws.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*store.Field, len(list))
	for _, f := range list {
		out[f.Key] = f
	}
	return out, nil
}

func eventItem(w *runtime.Workspace, x *store.Campaign, e *store.CampaignEvent, fields map[string]*store.Field) map[string]any {
	name := relativeNames[e.RelativeTo]
	if f := fields[e.RelativeTo]; f != nil {
		name = f.Name
	}
	var flow, message any
	if e.EventType == store.CampaignEventFlow {
		fname := ""
		if f := w.Flows[e.FlowUUID]; f != nil {
			fname = f.Name
		}
		flow = ref(e.FlowUUID, fname)
	} else {
		var trs map[string]*event.BroadcastTranslation
		_ = json.Unmarshal(e.Translations, &trs)
		texts := map[string]string{}
		for lang, tr := range trs {
			if tr != nil {
				texts[lang] = tr.Text
			}
		}
		message = texts
	}
	return map[string]any{
		"uuid":          e.UUID,
		"campaign":      ref(x.UUID, x.Name),
		"relative_to":   map[string]string{"key": e.RelativeTo, "name": name, "label": name},
		"offset":        e.Offset,
		"unit":          unitWords[e.Unit],
		"delivery_hour": e.DeliveryHour,
		"flow":          flow,
		"message":       message,
		"start_mode":    startModeWords[e.StartMode],
		"created_on":    formatDate(e.CreatedOn),
	}
}

// POST campaign_events.json creates an event; ?uuid= replaces one's settings (which
// reschedules it). Every reference is checked before anything is written, and the runtime
// validates the rest before it saves or schedules.
func postCampaignEvent(c *call) error {
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	b, err := c.readBody()
	if err != nil {
		return err
	}
	w, err := c.view()
	if err != nil {
		return err
	}
	camps, err := c.liveCampaigns()
	if err != nil {
		return err
	}
	fields, err := c.fieldNames()
	if err != nil {
		return err
	}
	campRef := strings.TrimSpace(b.str("campaign", 255, true))
	var camp *store.Campaign
	if campRef != "" {
		if camp = findCampaign(camps, campRef); camp == nil {
			b.errs.add("campaign", "No such object: "+campRef)
		}
	}
	relTo := strings.TrimSpace(b.str("relative_to", 64, true))
	if _, attr := relativeNames[relTo]; relTo != "" && !attr && fields[relTo] == nil {
		b.errs.add("relative_to", "No such object: "+relTo)
	}
	offset := b.integer("offset", true)
	unitWord := b.str("unit", 16, true)
	unit := unitCodes[unitWord]
	if unitWord != "" && unit == "" {
		b.errs.add("unit", `"`+unitWord+`" is not a valid choice.`)
	}
	hour := b.integer("delivery_hour", true)
	primary := "eng"
	if len(w.Languages) > 0 {
		primary = w.Languages[0]
	}
	text := translated(b, "message", primary, 10000)
	flowRef := strings.TrimSpace(b.str("flow", 36, false))
	var flow *store.Flow
	if flowRef != "" {
		if flow = w.Flows[strings.ToLower(flowRef)]; flow == nil || flow.Archived {
			b.errs.add("flow", "No such object: "+flowRef)
		}
	}
	if err := b.done(); err != nil {
		return err
	}
	if (len(text) > 0) == (flowRef != "") {
		return fieldErr("non_field_errors", "Flow or a message text required.")
	}
	if len(text) > 0 && text[primary] == "" {
		return fieldErr("message", "Message text in default flow language is required.")
	}

	e := &store.CampaignEvent{RelativeTo: relTo, Offset: offset, Unit: unit, DeliveryHour: hour}
	if flow != nil {
		e.EventType, e.FlowUUID = store.CampaignEventFlow, flow.UUID
	} else {
		trs := make(map[string]*event.BroadcastTranslation, len(text))
		for lang, t := range text {
			trs[lang] = &event.BroadcastTranslation{Text: t}
		}
		raw, err := json.Marshal(trs)
		if err != nil {
			return err
		}
		e.EventType, e.Translations, e.BaseLanguage = store.CampaignEventMessage, raw, primary
	}
	status := http.StatusCreated
	if c.param("uuid") != "" {
		old, err := c.api.Store.GetCampaignEvent(c.ctx(), c.ws.ID, uuid)
		if err != nil {
			return fromRuntime(err)
		}
		if findCampaignByID(camps, old.CampaignID) == nil {
			return errNotFound
		}
		if old.CampaignID != camp.ID {
			return fieldErr("campaign", "Cannot change campaign for existing events")
		}
		if old.Status == store.CampaignEventScheduling {
			return fieldErr("non_field_errors", "Cannot modify events which are currently being scheduled.")
		}
		// The API does not expose the start mode, so an update keeps the one the event has.
		e.ID, e.StartMode = old.ID, old.StartMode
		status = http.StatusOK
	}
	if err := c.api.Runtime.SaveCampaignEvent(c.ctx(), c.ws.ID, camp.UUID, e); err != nil {
		return fromRuntime(err)
	}
	if w, err = c.view(); err != nil {
		return err
	}
	return c.ok(status, eventItem(w, camp, e, fields))
}

func findCampaignByID(list []*store.Campaign, id int64) *store.Campaign {
	for _, x := range list {
		if x.ID == id {
			return x
		}
	}
	return nil
}

// DELETE campaign_events.json?uuid= removes an event and its pending fires.
func deleteCampaignEvent(c *call) error {
	if c.param("uuid") == "" {
		return errDetail(http.StatusBadRequest, "URL must contain one of the following parameters: uuid")
	}
	uuid, err := c.uuidParam("uuid")
	if err != nil {
		return err
	}
	e, err := c.api.Store.GetCampaignEvent(c.ctx(), c.ws.ID, uuid)
	if err != nil {
		return fromRuntime(err)
	}
	camps, err := c.liveCampaigns()
	if err != nil {
		return err
	}
	if findCampaignByID(camps, e.CampaignID) == nil {
		return errNotFound
	}
	if err := c.api.Runtime.DeleteCampaignEvent(c.ctx(), c.ws.ID, uuid); err != nil {
		return fromRuntime(err)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

// integer reads an integer as DRF's IntegerField does: a JSON number with no fraction, or a
// string holding one.
func (b *body) integer(name string, required bool) int {
	if !b.has(name) || b.isNull(name) {
		if required {
			b.errs.add(name, "This field is required.")
		}
		return 0
	}
	raw := strings.TrimSpace(string(b.fields[name]))
	var s string
	if json.Unmarshal(b.fields[name], &s) == nil {
		raw = strings.TrimSpace(s)
	}
	// Anything past 32 bits is refused here; the runtime's tighter per-unit bounds apply to
	// the rest.
	n, err := strconv.ParseInt(raw, 10, 32)
	if err != nil {
		b.errs.add(name, "A valid integer is required.")
		return 0
	}
	return int(n)
}
