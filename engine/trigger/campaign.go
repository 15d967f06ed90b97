package trigger

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
)

// TypeCampaign is a session started by a campaign event firing.
const TypeCampaign = "campaign"

func init() {
	engine.RegisterTrigger(TypeCampaign, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if t.Flow == nil {
				return nil
			}
			e, ok := engine.ReadEventOfType(t.Event, event.TypeCampaignFired)
			if !ok {
				return []string{"campaign trigger event must be of type campaign_fired"}
			}
			t.Parsed = e
			return nil
		},
		Context: func(t *engine.Trigger, o *expr.Object, a *engine.Assets) {
			if e, ok := t.Parsed.(*event.CampaignFired); ok && e.Campaign != nil {
				o.Set("campaign", expr.NewObject().Set("uuid", expr.Text(e.Campaign.UUID)).Set("name", expr.Text(e.Campaign.Name)))
			}
		},
	})
}
