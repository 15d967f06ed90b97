package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"careflow/expr"
	"careflow/flow"
)

// Field is a contact field definition.
type Field struct {
	UUID string `json:"uuid"`
	Key  string `json:"key"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Ref is the field's reference.
func (f *Field) Ref() *flow.FieldRef { return &flow.FieldRef{Key: f.Key, Name: f.Name} }

// Group is a contact group; a non-empty Query makes it query based.
type Group struct {
	UUID  string `json:"uuid"`
	Name  string `json:"name"`
	Query string `json:"query,omitempty"`
}

// Ref is the group's reference.
func (g *Group) Ref() *flow.GroupRef { return &flow.GroupRef{UUID: g.UUID, Name: g.Name} }

// Channel is a messaging channel.
type Channel struct {
	UUID               string   `json:"uuid"`
	Name               string   `json:"name"`
	Address            string   `json:"address"`
	Schemes            []string `json:"schemes"`
	Roles              []string `json:"roles"`
	Country            string   `json:"country,omitempty"`
	MatchPrefixes      []string `json:"match_prefixes,omitempty"`
	AllowInternational bool     `json:"allow_international,omitempty"`
}

// Ref is the channel's reference.
func (c *Channel) Ref() *flow.ChannelRef { return &flow.ChannelRef{UUID: c.UUID, Name: c.Name} }

// HasRole reports whether the channel has a role (send, receive, call, ...).
func (c *Channel) HasRole(role string) bool { return contains(c.Roles, role) }

// SupportsScheme reports whether the channel handles a URN scheme.
func (c *Channel) SupportsScheme(scheme string) bool { return contains(c.Schemes, scheme) }

// Label is a message label.
type Label struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Resthook is a resthook with its subscriber URLs.
type Resthook struct {
	Slug        string   `json:"slug"`
	Subscribers []string `json:"subscribers"`
}

// Topic is a ticket topic.
type Topic struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// User is a workspace user.
type User struct {
	UUID  string `json:"uuid"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Global is a workspace global.
type Global struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// LLMAsset is a configured LLM.
type LLMAsset struct {
	UUID  string   `json:"uuid"`
	Name  string   `json:"name"`
	Type  string   `json:"type"`
	Roles []string `json:"roles"`
}

// Campaign is a campaign (for campaign triggers).
type Campaign struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Template is a channel message template (WhatsApp etc.).
type Template struct {
	UUID         string                 `json:"uuid"`
	Name         string                 `json:"name"`
	Translations []*TemplateTranslation `json:"translations"`
}

// TemplateTranslation is a template in one locale on one channel.
type TemplateTranslation struct {
	Channel    *flow.ChannelRef     `json:"channel"`
	Locale     string               `json:"locale"`
	Components []*TemplateComponent `json:"components"`
	Variables  []struct {
		Type string `json:"type"`
	} `json:"variables"`
}

// TemplateComponent is a part of a template translation.
type TemplateComponent struct {
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Content   string         `json:"content"`
	Display   string         `json:"display"`
	Variables map[string]int `json:"variables"`
}

type flowEntry struct {
	raw  json.RawMessage
	once sync.Once
	f    *flow.Flow
	err  error
}

// Assets are everything flows refer to, read from the static JSON source format (flows.md §2).
type Assets struct {
	flows     map[flow.UUID]*flowEntry
	flowOrder []flow.UUID

	Fields    []*Field
	Groups    []*Group
	Channels  []*Channel
	Labels    []*Label
	Resthooks []*Resthook
	Topics    []*Topic
	Users     []*User
	Globals   []*Global
	LLMs      []*LLMAsset
	Campaigns []*Campaign
	Templates []*Template
	Locations json.RawMessage

	fieldsByKey map[string]*Field

	locOnce sync.Once
	locs    *expr.Locations

	ql queryAssets
}

// ParsedLocations is the location hierarchy for the location tests, or nil.
func (a *Assets) ParsedLocations() *expr.Locations {
	a.locOnce.Do(func() {
		if len(a.Locations) > 0 && string(a.Locations) != "null" {
			a.locs, _ = expr.ParseLocations(a.Locations)
		}
	})
	return a.locs
}

// ReadAssets reads assets from JSON. Flows are read (and migrated) when first used.
func ReadAssets(data []byte) (*Assets, error) {
	// a RapidPro export older than legacy 11.12 is first migrated as RapidPro imports it
	data, err := flow.MigrateExport(data)
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	var raw struct {
		Flows     []json.RawMessage `json:"flows"`
		Fields    []*Field          `json:"fields"`
		Groups    []*Group          `json:"groups"`
		Channels  []*Channel        `json:"channels"`
		Labels    []*Label          `json:"labels"`
		Resthooks []*Resthook       `json:"resthooks"`
		Topics    []*Topic          `json:"topics"`
		Users     []*User           `json:"users"`
		Globals   []*Global         `json:"globals"`
		LLMs      []*LLMAsset       `json:"llms"`
		Campaigns []*Campaign       `json:"campaigns"`
		Templates []*Template       `json:"templates"`
		Locations json.RawMessage   `json:"locations"`
	}
	if err = json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	a := &Assets{
		flows: map[flow.UUID]*flowEntry{}, Fields: raw.Fields, Groups: raw.Groups, Channels: raw.Channels,
		Labels: raw.Labels, Resthooks: raw.Resthooks, Topics: raw.Topics, Users: raw.Users,
		Globals: raw.Globals, LLMs: raw.LLMs, Campaigns: raw.Campaigns, Templates: raw.Templates,
		Locations: raw.Locations, fieldsByKey: map[string]*Field{},
	}
	for _, f := range raw.Flows {
		var head struct {
			UUID     flow.UUID `json:"uuid"`
			Metadata struct {
				UUID flow.UUID `json:"uuid"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(f, &head); err != nil {
			return nil, fmt.Errorf("read assets: %w", err)
		}
		id := head.UUID
		if id == "" {
			id = head.Metadata.UUID
		}
		a.flows[id] = &flowEntry{raw: f}
		a.flowOrder = append(a.flowOrder, id)
	}
	for _, f := range a.Fields {
		a.fieldsByKey[f.Key] = f
	}
	return a, nil
}

// ErrFlowNotFound is returned by Flow for an unknown flow.
var ErrFlowNotFound = fmt.Errorf("flow not found")

// Flow returns the flow with the given UUID, reading and migrating it on first use.
func (a *Assets) Flow(uuid flow.UUID) (*flow.Flow, error) {
	e := a.flows[uuid]
	if e == nil {
		return nil, fmt.Errorf("unable to find flow with UUID '%s': %w", uuid, ErrFlowNotFound)
	}
	e.once.Do(func() { e.f, e.err = flow.Read(e.raw) })
	return e.f, e.err
}

// FlowUUIDs lists the flows in asset order.
func (a *Assets) FlowUUIDs() []flow.UUID { return a.flowOrder }

// Field finds a field by key.
func (a *Assets) Field(key string) *Field { return a.fieldsByKey[key] }

// Group finds a group by UUID.
func (a *Assets) Group(uuid string) *Group {
	for _, g := range a.Groups {
		if g.UUID == uuid {
			return g
		}
	}
	return nil
}

// GroupByName finds a group by name, case-insensitively.
func (a *Assets) GroupByName(name string) *Group {
	for _, g := range a.Groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// Channel finds a channel by UUID.
func (a *Assets) Channel(uuid string) *Channel {
	for _, c := range a.Channels {
		if c.UUID == uuid {
			return c
		}
	}
	return nil
}

// Label finds a label by UUID.
func (a *Assets) Label(uuid string) *Label {
	for _, l := range a.Labels {
		if l.UUID == uuid {
			return l
		}
	}
	return nil
}

// LabelByName finds a label by name, case-insensitively.
func (a *Assets) LabelByName(name string) *Label {
	for _, l := range a.Labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// Resthook finds a resthook by slug.
func (a *Assets) Resthook(slug string) *Resthook {
	for _, r := range a.Resthooks {
		if strings.EqualFold(r.Slug, slug) {
			return r
		}
	}
	return nil
}

// Topic finds a topic by UUID.
func (a *Assets) Topic(uuid string) *Topic {
	for _, t := range a.Topics {
		if t.UUID == uuid {
			return t
		}
	}
	return nil
}

// TopicByName finds a topic by name, case-insensitively.
func (a *Assets) TopicByName(name string) *Topic {
	for _, t := range a.Topics {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// User finds a user by UUID.
func (a *Assets) User(uuid string) *User {
	for _, u := range a.Users {
		if u.UUID == uuid {
			return u
		}
	}
	return nil
}

// UserByEmail finds a user by email, case-insensitively.
func (a *Assets) UserByEmail(email string) *User {
	for _, u := range a.Users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// LLM finds an LLM by UUID.
func (a *Assets) LLM(uuid string) *LLMAsset {
	for _, l := range a.LLMs {
		if l.UUID == uuid {
			return l
		}
	}
	return nil
}

// Campaign finds a campaign by UUID.
func (a *Assets) Campaign(uuid string) *Campaign {
	for _, c := range a.Campaigns {
		if c.UUID == uuid {
			return c
		}
	}
	return nil
}

// Template finds a message template by UUID.
func (a *Assets) Template(uuid string) *Template {
	for _, t := range a.Templates {
		if t.UUID == uuid {
			return t
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
