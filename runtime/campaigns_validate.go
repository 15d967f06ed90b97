package runtime

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"careflow/engine/event"
	"careflow/store"
)

// Campaign event bounds. Offsets stop at about ten years either way: a programme further
// out than that is a mistake, and bounded offsets keep date arithmetic far from overflow.
var campaignOffsetLimits = map[string]int{
	store.CampaignUnitMinutes: 10 * 365 * 24 * 60,
	store.CampaignUnitHours:   10 * 365 * 24,
	store.CampaignUnitDays:    10 * 365,
	store.CampaignUnitWeeks:   10 * 52,
}

const (
	maxCampaignName      = 255
	maxCampaignEventText = 10000
	maxCampaignLanguages = 100
)

// ValidateCampaign checks a campaign's name and group (by UUID) against the workspace.
func ValidateCampaign(w *Workspace, name, groupUUID string) (*store.Group, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, invalid("name: this field is required")
	}
	if utf8.RuneCountInString(name) > maxCampaignName {
		return nil, invalid("name: ensure this field has no more than %d characters", maxCampaignName)
	}
	g := w.Group(groupUUID)
	if g == nil {
		return nil, invalid("group: no such group with UUID %q", groupUUID)
	}
	return g, nil
}

// ValidateCampaignEvent checks an event's settings against the workspace; the error is an
// *InvalidError whose text starts with the offending field's name (the API's terms). It
// fills defaults (start mode interrupt, delivery hour as given).
func ValidateCampaignEvent(w *Workspace, e *store.CampaignEvent) error {
	switch e.RelativeTo {
	case "":
		return invalid("relative_to: this field is required")
	case store.CampaignRelativeCreatedOn, store.CampaignRelativeLastSeenOn:
	default:
		f := w.fieldType(e.RelativeTo)
		if f == "" {
			return invalid("relative_to: no such contact field with key %q", e.RelativeTo)
		}
		if f != "datetime" {
			return invalid("relative_to: field %q is not a datetime field", e.RelativeTo)
		}
	}
	limit, ok := campaignOffsetLimits[e.Unit]
	if !ok {
		return invalid("unit: %q is not one of minutes, hours, days, weeks", e.Unit)
	}
	if e.Offset < -limit || e.Offset > limit {
		return invalid("offset: must be between %d and %d for this unit", -limit, limit)
	}
	if e.DeliveryHour < -1 || e.DeliveryHour > 23 {
		return invalid("delivery_hour: must be between -1 and 23")
	}
	switch e.StartMode {
	case "":
		e.StartMode = store.CampaignStartInterrupt
	case store.CampaignStartInterrupt, store.CampaignStartSkip, store.CampaignStartPassive:
	default:
		return invalid("start_mode: %q is not one of interrupt, skip, passive", e.StartMode)
	}
	switch e.EventType {
	case store.CampaignEventFlow:
		f := w.Flows[e.FlowUUID]
		if f == nil || f.Archived {
			return invalid("flow: no such flow with UUID %q", e.FlowUUID)
		}
		e.Translations, e.BaseLanguage = nil, ""
	case store.CampaignEventMessage:
		if err := validateEventMessage(e); err != nil {
			return err
		}
		e.FlowUUID = ""
	default:
		return invalid("event_type: must be a flow or a message event")
	}
	return nil
}

func validateEventMessage(e *store.CampaignEvent) error {
	var trs map[string]*event.BroadcastTranslation
	if len(e.Translations) == 0 || json.Unmarshal(e.Translations, &trs) != nil || len(trs) == 0 {
		return invalid("message: must be a text or an object of texts by language")
	}
	if len(trs) > maxCampaignLanguages {
		return invalid("message: no more than %d languages", maxCampaignLanguages)
	}
	for lang, tr := range trs {
		if tr == nil || strings.TrimSpace(tr.Text) == "" {
			return invalid("message: the %q text is empty", lang)
		}
		if utf8.RuneCountInString(tr.Text) > maxCampaignEventText {
			return invalid("message: ensure the %q text has no more than %d characters", lang, maxCampaignEventText)
		}
	}
	if e.BaseLanguage == "" {
		for lang := range trs {
			if e.BaseLanguage == "" || lang < e.BaseLanguage {
				e.BaseLanguage = lang
			}
		}
	}
	if trs[e.BaseLanguage] == nil {
		return invalid("message: no text in the base language %q", e.BaseLanguage)
	}
	return nil
}
