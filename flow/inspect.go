package flow

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"careflow/flow/tmpl"
)

// Inspection is what static analysis of a flow finds: counts, the assets it depends on (and
// whether each exists), the run locals it uses, the results it saves (with their possible
// categories), the parent results it reads, and issues.
type Inspection struct {
	Counts       Counts        `json:"counts"`
	Dependencies []*Dependency `json:"dependencies"`
	Locals       []string      `json:"locals"`
	Results      []*ResultInfo `json:"results"`
	ParentRefs   []string      `json:"parent_refs"`
	Issues       []*Issue      `json:"issues"`
}

// Counts are the flow's node and translated language counts.
type Counts struct {
	Languages int `json:"languages"`
	Nodes     int `json:"nodes"`
}

// Dependency is an asset the flow refers to. Fields and globals are identified by Key, all
// other types by UUID. Missing is set when inspected against assets that lack it.
type Dependency struct {
	Type    string
	UUID    string
	Key     string
	Name    string
	Missing bool
}

// Identity returns the key or UUID that identifies the asset.
func (d *Dependency) Identity() string {
	if d.Key != "" || d.Type == "field" || d.Type == "global" {
		return d.Key
	}
	return d.UUID
}

// MarshalJSON writes the reference in its asset type's shape ({key, name} or {uuid, name})
// plus type and missing.
func (d *Dependency) MarshalJSON() ([]byte, error) { return json.Marshal(d.jsonMap(true)) }

func (d *Dependency) jsonMap(withMissing bool) map[string]any {
	m := map[string]any{"type": d.Type}
	switch d.Type {
	case "field", "global":
		m["key"], m["name"] = d.Key, d.Name
	default:
		m["uuid"] = d.UUID
		// group, label and user references leave out an empty name
		if d.Name != "" || (d.Type != "group" && d.Type != "label" && d.Type != "user") {
			m["name"] = d.Name
		}
	}
	if withMissing && d.Missing {
		m["missing"] = true
	}
	return m
}

// ResultInfo is a result the flow can save: its key, name, possible categories and the nodes
// saving it.
type ResultInfo struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	NodeUUIDs  []string `json:"node_uuids"`
}

// Issue types.
const (
	IssueMissingDependency = "missing_dependency"
	IssueLegacyVars        = "legacy_vars"
	IssueInvalidRegex      = "invalid_regex"
)

// Issue is a problem found by inspection that doesn't stop the flow from being read.
type Issue struct {
	Type        string
	NodeUUID    NodeUUID
	ActionUUID  ActionUUID
	Language    string
	Description string
	Dependency  *Dependency // missing_dependency
	Vars        []string    // legacy_vars
	Regex       string      // invalid_regex
}

// MarshalJSON writes the issue with the fields of its type.
func (i *Issue) MarshalJSON() ([]byte, error) {
	m := map[string]any{"type": i.Type, "node_uuid": i.NodeUUID, "description": i.Description}
	if i.ActionUUID != "" {
		m["action_uuid"] = i.ActionUUID
	}
	if i.Language != "" {
		m["language"] = i.Language
	}
	switch i.Type {
	case IssueMissingDependency:
		m["dependency"] = i.Dependency.jsonMap(false)
	case IssueLegacyVars:
		m["vars"] = i.Vars
	case IssueInvalidRegex:
		m["regex"] = i.Regex
	}
	return json.Marshal(m)
}

// Assets tells inspection which assets exist. Has is asked with an asset type (flow, field,
// global, group, label, channel, llm, template, topic, user) and its identity (UUID, or key
// for fields and globals).
type Assets interface {
	Has(assetType, identity string) bool
}

// reference is one asset reference found in a node, with where it was found.
type reference struct {
	dep    *Dependency
	node   NodeUUID
	action ActionUUID
	lang   string
}

// Inspect analyses the flow. With nil assets, nothing is reported missing.
func (f *Flow) Inspect(assets Assets) *Inspection {
	var refs []reference
	locals := map[string]bool{}
	parentRefs := map[string]bool{}
	var results []*ResultInfo
	resultsByKey := map[string]*ResultInfo{}

	for _, n := range f.Nodes {
		v := &visitor{loc: f.Localization}
		v.ref = func(d *Dependency) { refs = append(refs, reference{d, n.UUID, v.action, ""}) }
		v.local = func(name string) {
			if name != "" {
				locals[name] = true
			}
		}
		v.result = func(name string, categories []string) {
			key := Snakify(name)
			if r := resultsByKey[key]; r != nil {
				for _, c := range categories {
					if !containsFold(r.Categories, c) {
						r.Categories = append(r.Categories, c)
					}
				}
				if !contains(r.NodeUUIDs, string(n.UUID)) {
					r.NodeUUIDs = append(r.NodeUUIDs, string(n.UUID))
				}
				return
			}
			r := &ResultInfo{Key: key, Name: name, Categories: append([]string{}, categories...), NodeUUIDs: []string{string(n.UUID)}}
			results = append(results, r)
			resultsByKey[key] = r
		}
		var tpls []struct {
			action ActionUUID
			lang   string
			text   string
		}
		v.template = func(lang, t string) {
			tpls = append(tpls, struct {
				action ActionUUID
				lang   string
				text   string
			}{v.action, lang, t})
		}
		for _, a := range n.Actions {
			v.action = a.UUID()
			a.inspect(v)
		}
		v.action = ""
		if n.Router != nil {
			n.Router.inspect(v)
		}
		for _, t := range tpls {
			templateRefs(t.text, func(d *Dependency) {
				refs = append(refs, reference{d, n.UUID, t.action, t.lang})
			}, func(key string) { parentRefs[key] = true })
		}
	}

	ins := &Inspection{
		Counts:       Counts{Languages: len(f.Localization), Nodes: len(f.Nodes)},
		Dependencies: []*Dependency{},
		Locals:       sortedKeys(locals),
		Results:      results,
		ParentRefs:   sortedKeys(parentRefs),
	}
	if ins.Results == nil {
		ins.Results = []*ResultInfo{}
	}
	seen := map[string]bool{}
	for _, r := range refs {
		id := r.dep.Type + ":" + r.dep.Identity()
		if seen[id] {
			continue
		}
		seen[id] = true
		d := *r.dep
		d.Missing = assets != nil && d.Type != "contact" && !assets.Has(d.Type, d.Identity())
		ins.Dependencies = append(ins.Dependencies, &d)
	}
	ins.Issues = f.issues(assets, refs)
	return ins
}

// templateRefs reports the field and global references and the parent result keys a template
// reads.
func templateRefs(t string, dep func(*Dependency), parent func(string)) {
	tmpl.Refs(t, func(path []string) {
		if len(path) < 2 {
			return
		}
		p0, p1 := strings.ToLower(path[0]), strings.ToLower(path[1])
		switch {
		case p0 == "globals":
			dep(&Dependency{Type: "global", Key: p1})
		case p0 == "parent" && p1 == "results" && len(path) > 2:
			parent(strings.ToLower(path[2]))
		default:
			if key, ok := fieldRefPath(path); ok {
				dep(&Dependency{Type: "field", Key: key})
			}
		}
	})
}

// fieldRefPaths are the context paths whose next (and last) element is a contact field key.
var fieldRefPaths = [][]string{
	{"fields"}, {"contact", "fields"}, {"parent", "fields"}, {"parent", "contact", "fields"},
	{"child", "fields"}, {"child", "contact", "fields"},
}

func fieldRefPath(path []string) (string, bool) {
	for _, prefix := range fieldRefPaths {
		if len(path) != len(prefix)+1 {
			continue
		}
		match := true
		for i, p := range prefix {
			if strings.ToLower(path[i]) != p {
				match = false
				break
			}
		}
		if match {
			return strings.ToLower(path[len(prefix)]), true
		}
	}
	return "", false
}

// issues lists missing dependencies, start_session legacy vars and invalid regexes, ordered by
// node.
func (f *Flow) issues(assets Assets, refs []reference) []*Issue {
	issues := []*Issue{}
	if assets != nil {
		for _, r := range refs {
			if r.dep.Type == "contact" || assets.Has(r.dep.Type, r.dep.Identity()) {
				continue
			}
			issues = append(issues, &Issue{
				Type: IssueMissingDependency, NodeUUID: r.node, ActionUUID: r.action, Language: r.lang,
				Description: fmt.Sprintf("missing %s dependency '%s'", r.dep.Type, r.dep.Identity()),
				Dependency:  r.dep,
			})
		}
	}
	for _, n := range f.Nodes {
		for _, a := range n.Actions {
			if s, ok := a.(*StartSession); ok && len(s.LegacyVars) > 0 {
				issues = append(issues, &Issue{Type: IssueLegacyVars, NodeUUID: n.UUID, ActionUUID: a.UUID(),
					Description: "use of expressions instead of contact query", Vars: s.LegacyVars})
			}
		}
		if n.Router == nil || n.Router.Type != RouterSwitch {
			continue
		}
		for _, c := range n.Router.Cases {
			if c.Type != "has_pattern" || len(c.Arguments) == 0 {
				continue
			}
			check := func(lang, re string) {
				if tmpl.HasRefs(re) {
					return
				}
				if _, err := regexp.Compile(re); err != nil {
					issues = append(issues, &Issue{Type: IssueInvalidRegex, NodeUUID: n.UUID, Language: lang,
						Description: "invalid regex: " + re, Regex: re})
				}
			}
			check("", c.Arguments[0])
			for _, lang := range f.Localization.Languages() {
				for _, t := range f.Localization.Get(lang, string(c.UUID), "arguments") {
					check(lang, t)
				}
			}
		}
	}
	order := map[NodeUUID]int{}
	for i, n := range f.Nodes {
		order[n.UUID] = i
	}
	sort.SliceStable(issues, func(i, j int) bool { return order[issues[i].NodeUUID] < order[issues[j].NodeUUID] })
	return issues
}

// Snakify makes a result key from a result name: trimmed, each run of characters other than
// letters, digits and _ replaced by one _, lowercased.
func Snakify(name string) string {
	return strings.ToLower(nonWordRun.ReplaceAllString(strings.TrimSpace(name), "_"))
}

var nonWordRun = regexp.MustCompile(`[^\p{L}\p{Nd}_]+`)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
