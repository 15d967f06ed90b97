package legacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ExprOptions change how one legacy template is migrated.
type ExprOptions struct {
	URLEncode     bool // wrap inserted values in url_encode() (webhook URLs)
	DefaultToSelf bool // an expression that errors evaluates to its own text (expression rulesets)
	RawDates      bool // keep date values raw (date tests)
}

// ExprMigrator rewrites one legacy template into the current expression syntax.
type ExprMigrator func(template string, opts ExprOptions) (string, error)

// Config supplies what conversion needs from outside.
type Config struct {
	// NewUUID returns fresh UUIDs for categories, cases and actions the conversion creates.
	NewUUID func() string
	// BaseMediaURL makes relative media and recording paths absolute.
	BaseMediaURL string
	// Expressions migrates legacy templates; nil leaves them unchanged.
	Expressions ExprMigrator
}

// IsLegacy reports whether a definition looks like the legacy format: it has any of
// action_sets, rule_sets or flow_type.
func IsLegacy(f map[string]any) bool {
	for _, k := range []string{"action_sets", "rule_sets", "flow_type"} {
		if _, ok := f[k]; ok {
			return true
		}
	}
	return false
}

// converter carries one conversion's state.
type converter struct {
	cfg          Config
	baseLanguage string
	loc          localization
	validDests   map[string]bool
}

func (c *converter) expr(t string, opts ExprOptions) string {
	if c.cfg.Expressions == nil || t == "" {
		return t
	}
	// On an error the migrator still returns the template with every expression it could
	// migrate rewritten and the others kept as written, which is what the reference keeps.
	out, err := c.cfg.Expressions(t, opts)
	if err != nil && out == "" {
		return t
	}
	return out
}

func (c *converter) tpl(t string) string { return c.expr(t, ExprOptions{}) }

// Convert converts a legacy definition into a 13.0.0 definition.
func Convert(f map[string]any, cfg Config) (map[string]any, error) {
	if cfg.NewUUID == nil {
		return nil, errors.New("legacy conversion needs a UUID generator")
	}
	var lf legacyFlow
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &lf); err != nil {
		return nil, fmt.Errorf("unable to read legacy flow: %w", err)
	}
	if err := lf.check(); err != nil {
		return nil, fmt.Errorf("unable to read legacy flow: %w", err)
	}
	c := &converter{cfg: cfg, baseLanguage: lf.BaseLanguage, loc: localization{}, validDests: map[string]bool{}}
	for _, as := range lf.ActionSets {
		c.validDests[as.UUID] = true
	}
	for _, rs := range lf.RuleSets {
		c.validDests[rs.UUID] = true
	}

	type placed struct {
		node map[string]any
		uuid string
		top  int
	}
	var all []placed
	uiNodes := map[string]any{}
	for _, as := range lf.ActionSets {
		node, err := c.actionSet(as)
		if err != nil {
			return nil, fmt.Errorf("error migrating action_set[uuid=%s]: %w", as.UUID, err)
		}
		all = append(all, placed{node, as.UUID, as.Y})
		uiNodes[as.UUID] = nodeUI("execute_actions", as.X, as.Y, nil)
	}
	for _, rs := range lf.RuleSets {
		node, uiType, uiConfig, err := c.ruleSet(rs)
		if err != nil {
			return nil, fmt.Errorf("error migrating rule_set[uuid=%s]: %w", rs.UUID, err)
		}
		all = append(all, placed{node, rs.UUID, rs.Y})
		uiNodes[rs.UUID] = nodeUI(uiType, rs.X, rs.Y, uiConfig)
	}

	// the entry node goes first, the others follow from top to bottom of the editor canvas
	var entry []placed
	var others []placed
	for _, p := range all {
		if p.uuid == lf.Entry {
			entry = []placed{p}
		} else {
			others = append(others, p)
		}
	}
	sort.SliceStable(others, func(i, j int) bool { return others[i].top < others[j].top })
	nodes := []any{}
	for _, p := range append(entry, others...) {
		nodes = append(nodes, p.node)
	}

	stickies := map[string]any{}
	for _, n := range lf.Metadata.Notes {
		stickies[cfg.NewUUID()] = map[string]any{
			"position": map[string]any{"left": n.X.intPart(), "top": n.Y.intPart()},
			"title":    n.Title,
			"body":     n.Body,
			"color":    "yellow",
		}
	}

	uuid, name := lf.Metadata.UUID, lf.Metadata.Name
	if uuid == "" {
		uuid = lf.UUID
		if uuid == "" {
			uuid = cfg.NewUUID()
		}
	}
	if name == "" {
		name = lf.Name
	}
	return map[string]any{
		"uuid":                 uuid,
		"name":                 name,
		"spec_version":         "13.0.0",
		"language":             lf.BaseLanguage,
		"type":                 flowTypes[lf.FlowType],
		"revision":             lf.Metadata.Revision,
		"expire_after_minutes": lf.Metadata.Expires,
		"localization":         c.loc.toJSON(),
		"nodes":                nodes,
		"_ui":                  map[string]any{"nodes": uiNodes, "stickies": stickies},
	}, nil
}

// flowTypes maps legacy flow type codes; campaign event flows sometimes have none.
var flowTypes = map[string]string{
	"": "messaging", "F": "messaging", "M": "messaging", "V": "voice", "S": "messaging_offline",
}

func nodeUI(typ string, x, y int, config map[string]any) map[string]any {
	ui := map[string]any{"position": map[string]any{"left": x, "top": y}}
	if typ != "" {
		ui["type"] = typ
	}
	if len(config) > 0 {
		ui["config"] = config
	}
	return ui
}

// actionSet converts an action set into a node with its actions and a single exit.
func (c *converter) actionSet(as actionSet) (map[string]any, error) {
	acts := []any{}
	for _, a := range as.Actions {
		m, err := c.action(a)
		if err != nil {
			return nil, fmt.Errorf("error migrating action[type=%s]: %w", a.Type, err)
		}
		acts = append(acts, m)
	}
	return newNode(as.UUID, acts, nil, []any{c.exit(as.ExitUUID, as.Destination)}), nil
}

// exit builds an exit, keeping the destination only when it is a node of the flow.
func (c *converter) exit(uuid, dest string) map[string]any {
	e := map[string]any{"uuid": uuid}
	if c.validDests[dest] {
		e["destination_uuid"] = dest
	}
	return e
}

func newNode(uuid string, actions []any, router map[string]any, exits []any) map[string]any {
	n := map[string]any{"uuid": uuid, "exits": exits}
	if len(actions) > 0 {
		n["actions"] = actions
	}
	if router != nil {
		n["router"] = router
	}
	return n
}

// urlJoin makes relative absolute against base; absolute http(s) URLs are kept.
func urlJoin(base, relative string) string {
	if strings.HasPrefix(relative, "http://") || strings.HasPrefix(relative, "https://") {
		return relative
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(relative, "/")
}
