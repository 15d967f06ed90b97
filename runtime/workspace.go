package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"careflow/engine"
	"careflow/expr"
	"careflow/store"
)

// Workspace is what the runtime needs of one workspace to run flows: its settings as an
// engine environment, its assets, and an engine with the workspace's services. It is built from
// the store and shared read-only until the workspace's assets version moves.
type Workspace struct {
	*store.Workspace
	Env      *expr.Environment
	Assets   *engine.Assets
	Engine   *engine.Engine
	Flows    map[string]*store.Flow
	Triggers []*store.Trigger
	Groups   map[string]*store.Group // by UUID
	GroupIDs map[int64]*store.Group
	Channels []*store.Channel
	// campaigns is the live campaign events and field types (campaigns.go).
	campaigns *campaignView
	version   int64
	checked   time.Time
}

// Group returns a group by UUID, or nil.
func (w *Workspace) Group(uuid string) *store.Group { return w.Groups[uuid] }

// Services builds the engine services of a workspace that reach the outside world; the server
// supplies it (webhooks with the workspace's address policy, email, LLM, airtime).
type Services func(ws *store.Workspace) engine.Services

// workspaces caches Workspace values. A cached value is re-validated against the store's
// assets version at most every checkEvery (other nodes' changes), and immediately after this
// node changes the workspace (Invalidate).
type workspaces struct {
	rt         *Runtime
	mu         sync.Mutex
	byID       map[int64]*Workspace
	checkEvery time.Duration
	// gen counts invalidations per workspace: a view loaded while one happened may predate
	// the change, so it is used but not cached.
	gen map[int64]uint64
}

// Workspace returns the current runtime view of a workspace.
func (r *Runtime) Workspace(ctx context.Context, id int64) (*Workspace, error) {
	return r.ws.get(ctx, id)
}

// Invalidate drops the cached view of a workspace after a change to its flows, triggers,
// fields, groups, globals, channels or resthooks, so the next sprint sees the change.
func (r *Runtime) Invalidate(id int64) {
	r.ws.mu.Lock()
	delete(r.ws.byID, id)
	r.ws.gen[id]++
	r.ws.mu.Unlock()
	r.channels.Clear()
}

func (c *workspaces) get(ctx context.Context, id int64) (*Workspace, error) {
	now := time.Now()
	c.mu.Lock()
	w := c.byID[id]
	gen := c.gen[id]
	c.mu.Unlock()
	if w != nil && now.Sub(w.checked) < c.checkEvery {
		return w, nil
	}
	version, err := c.rt.Store.AssetsVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if w != nil && w.version == version {
		c.mu.Lock()
		w.checked = now
		c.mu.Unlock()
		return w, nil
	}
	w, err = c.rt.loadWorkspace(ctx, id, version)
	if err != nil {
		return nil, err
	}
	w.checked = now
	c.mu.Lock()
	if c.gen[id] == gen {
		c.byID[id] = w
	}
	c.mu.Unlock()
	return w, nil
}

// assetsJSON is the engine's static assets shape (flows.md §2).
type assetsJSON struct {
	Flows     []json.RawMessage  `json:"flows"`
	Fields    []*engine.Field    `json:"fields"`
	Groups    []*engine.Group    `json:"groups"`
	Globals   []*engine.Global   `json:"globals"`
	Channels  []*engine.Channel  `json:"channels"`
	Resthooks []*engine.Resthook `json:"resthooks"`
}

func (r *Runtime) loadWorkspace(ctx context.Context, id, version int64) (*Workspace, error) {
	st := r.Store
	ws, err := st.GetWorkspace(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("workspace %d: %w", id, err)
	}
	env, err := Environment(ws)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Workspace: ws, Env: env, Flows: map[string]*store.Flow{}, Groups: map[string]*store.Group{},
		GroupIDs: map[int64]*store.Group{}, version: version}
	var a assetsJSON
	flows, err := st.ListFlows(ctx, id, false)
	if err != nil {
		return nil, err
	}
	archived, err := st.ListFlows(ctx, id, true)
	if err != nil {
		return nil, err
	}
	// Archived flows stay readable so sessions already in them can finish.
	for _, f := range append(flows, archived...) {
		if _, dup := w.Flows[f.UUID]; dup {
			continue
		}
		w.Flows[f.UUID] = f
		a.Flows = append(a.Flows, f.Definition)
	}
	fields, err := st.ListFields(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		a.Fields = append(a.Fields, &engine.Field{UUID: f.UUID, Key: f.Key, Name: f.Name, Type: f.Type})
	}
	groups, err := st.ListGroups(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		w.Groups[g.UUID] = g
		w.GroupIDs[g.ID] = g
		a.Groups = append(a.Groups, &engine.Group{UUID: g.UUID, Name: g.Name, Query: g.Query})
	}
	globals, err := st.ListGlobals(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, g := range globals {
		a.Globals = append(a.Globals, &engine.Global{Key: g.Key, Name: g.Name, Value: g.Value})
	}
	if a.Resthooks, err = loadResthooks(ctx, st, id); err != nil {
		return nil, err
	}
	if w.Channels, err = st.ListChannels(ctx, id); err != nil {
		return nil, err
	}
	for _, c := range w.Channels {
		a.Channels = append(a.Channels, &engine.Channel{UUID: c.UUID, Name: c.Name, Address: c.Address,
			Schemes: c.Schemes, Roles: c.Roles, Country: c.Country})
	}
	if w.Triggers, err = st.ListTriggers(ctx, id, false); err != nil {
		return nil, err
	}
	if err := r.loadCampaigns(ctx, w); err != nil {
		return nil, err
	}
	data, err := json.Marshal(&a)
	if err != nil {
		return nil, err
	}
	if w.Assets, err = engine.ReadAssets(data); err != nil {
		return nil, fmt.Errorf("workspace %d assets: %w", id, err)
	}
	services := engine.Services{}
	if r.Services != nil {
		services = r.Services(ws)
	}
	services.Clock = r.Clock
	services.UUIDs = uuids{}
	if services.Random == nil {
		services.Random = random{}
	}
	w.Engine = engine.New(services, engine.Options{Prompts: r.Config.Prompts})
	return w, nil
}

// Environment is the engine environment of a workspace's settings.
func Environment(ws *store.Workspace) (*expr.Environment, error) {
	j := map[string]any{
		"date_format":       ws.DateFormat,
		"timezone":          ws.Timezone,
		"default_country":   ws.Country,
		"allowed_languages": ws.Languages,
	}
	if len(ws.Languages) > 0 {
		j["default_language"] = ws.Languages[0]
	}
	if strings.TrimSpace(ws.DateFormat) == "" {
		delete(j, "date_format")
	}
	data, _ := json.Marshal(j)
	env, err := expr.ParseEnvironment(data, nil)
	if err != nil {
		return nil, fmt.Errorf("workspace %q: %w", ws.Name, err)
	}
	return env, nil
}

// channelCacheFor is how long a channel looked up by UUID is trusted: channel endpoints look
// their channel up on every request, and channels change rarely (a deleted channel stops
// receiving within this time on other nodes, at once on this one).
const channelCacheFor = 5 * time.Second

type cachedChannel struct {
	ch *store.Channel
	at time.Time
}

// Channel returns a channel by UUID (deleted ones included), cached briefly.
func (r *Runtime) Channel(ctx context.Context, uuid string) (*store.Channel, error) {
	now := time.Now()
	if v, ok := r.channels.Load(uuid); ok {
		if c := v.(cachedChannel); now.Sub(c.at) < channelCacheFor {
			return c.ch, nil
		}
	}
	ch, err := r.Store.GetChannel(ctx, uuid)
	if err != nil {
		return nil, err
	}
	r.channels.Store(uuid, cachedChannel{ch: ch, at: now})
	return ch, nil
}
