package action

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
	"encoding/json"

	"github.com/shopspring/decimal"
)

func init() {
	register(flow.TypeTransferAirtime, func(r *engine.Run, n *flow.Node, a flow.Action) error {
		act := a.(*flow.TransferAirtime)
		s := r.Session()
		r.SetLocal("_new_transfer", "")
		var recipient *engine.URN
		for _, u := range s.Contact().URNs {
			if u.Scheme == "tel" {
				recipient = u
				break
			}
		}
		if recipient == nil {
			r.LogError("can't transfer airtime to contact without a phone number", "", nil)
			return nil
		}
		sender := ""
		if d := s.Route(s.Contact(), "send"); d != nil && d.Channel.SupportsScheme("tel") {
			sender = "tel:" + d.Channel.Address
		}
		amounts := map[string]decimal.Decimal{}
		for cur, v := range act.Amounts {
			if d, err := decimal.NewFromString(string(v)); err == nil {
				amounts[cur] = d
			}
		}
		svc := s.Engine().Airtime
		if svc == nil {
			r.LogError("no airtime service configured", "", nil)
			return nil
		}
		e := event.NewAirtimeCreated()
		e.UUID = s.Engine().UUIDs.NewV7()
		t, err := svc.Transfer(sender, recipient.Identity(), amounts)
		if err != nil {
			r.LogError(err.Error(), "", nil)
			return nil
		}
		e.ExternalID, e.Sender, e.Recipient, e.Currency, e.Amount = t.ExternalID, sender, recipient.Identity(), t.Currency, json.Number(t.Amount.String())
		e.HTTPLogs = []*event.HTTPLog{}
		for _, l := range t.HTTPLogs {
			e.HTTPLogs = append(e.HTTPLogs, &event.HTTPLog{URL: l.URL, StatusCode: l.StatusCode, Request: l.Request,
				Response: l.Response, ElapsedMS: l.ElapsedMS, Retries: l.Retries, Sizes: &event.Sizes{},
				Status: l.Status, CreatedOn: l.CreatedOn.UTC().Format("2006-01-02T15:04:05.999999999Z07:00")})
		}
		uuid := e.UUID
		r.Log(e)
		r.SetLocal("_new_transfer", uuid)
		return nil
	})
}
