package event

// TypeCampaignFired carries a campaign point firing (campaign triggers).
const TypeCampaignFired = "campaign_fired"

// CampaignRef refers to a campaign.
type CampaignRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// CampaignFired carries a campaign point firing.
type CampaignFired struct {
	Base
	Campaign  *CampaignRef `json:"campaign"`
	PointUUID string       `json:"point_uuid"`
}

func init() { register(TypeCampaignFired, func() Event { return &CampaignFired{} }) }
