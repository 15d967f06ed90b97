package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"careflow/flow"
	"careflow/store"
)

// Export file versions RapidPro imports (runtime.md §7).
const (
	MinExportVersion     = 3
	CurrentExportVersion = 13
)

// ImportResult counts what an import created or updated.
type ImportResult struct {
	Flows    int `json:"flows"`
	Fields   int `json:"fields"`
	Groups   int `json:"groups"`
	Triggers int `json:"triggers"`
	Globals  int `json:"globals"`
	// Resthooks counts the resthooks created because flows call them.
	Resthooks int      `json:"resthooks"`
	Skipped   []string `json:"skipped,omitempty"`
	// FlowUUIDs are the imported flows, in file order.
	FlowUUIDs []string `json:"flow_uuids"`
	// Changes says what became of each field, group, flow and trigger of the file.
	Changes []ImportChange `json:"changes,omitempty"`
}

// What an import did with one item of the file.
const (
	ImportCreated  = "created"
	ImportUpdated  = "updated"  // a field or flow that existed, now replaced
	ImportExisting = "existing" // a group or trigger that existed, used as it was
	ImportRestored = "restored" // an archived trigger made active again
)

// ImportChange is one item of an export file and what the import did with it. Position is
// its 1-based place in the file's list of its kind (the n-th flow), as problems name it.
type ImportChange struct {
	Kind     string `json:"kind"` // field, group, flow or trigger
	Position int    `json:"position"`
	Name     string `json:"name"`
	UUID     string `json:"uuid,omitempty"`
	Action   string `json:"action"`
}

// ImportError lists every problem that made an import refuse a file.
type ImportError struct{ Problems []string }

func (e *ImportError) Error() string { return strings.Join(e.Problems, "; ") }

// Is makes errors.Is(err, ErrInvalid) true: the file, not careflow, is at fault.
func (e *ImportError) Is(target error) bool { return target == ErrInvalid }

type exportFile struct {
	Version   json.RawMessage   `json:"version"`
	Site      string            `json:"site"`
	Flows     []json.RawMessage `json:"flows"`
	Campaigns []json.RawMessage `json:"campaigns"`
	Triggers  []exportTrigger   `json:"triggers"`
	Fields    []exportField     `json:"fields"`
	Groups    []exportGroup     `json:"groups"`
}

type exportRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

type exportField struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	Label     string `json:"label"`
	Type      string `json:"type"`
	ValueType string `json:"value_type"`
}

type exportGroup struct {
	UUID  string `json:"uuid"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

type exportTrigger struct {
	TriggerType   string      `json:"trigger_type"`
	Keyword       string      `json:"keyword"`
	Keywords      []string    `json:"keywords"`
	MatchType     string      `json:"match_type"`
	Flow          *exportRef  `json:"flow"`
	Groups        []exportRef `json:"groups"`
	ExcludeGroups []exportRef `json:"exclude_groups"`
	Channel       *exportRef  `json:"channel"`
	ReferrerID    string      `json:"referrer_id"`
}

// exportTriggerTypes maps export codes to trigger types; S (schedule), I and O (opt-in/out)
// are dropped on import as RapidPro does.
var exportTriggerTypes = map[string]string{
	"K": TriggerKeyword, "C": TriggerCatchAll, "M": TriggerMissedCall, "N": TriggerNewConversation,
	"R": TriggerReferral, "V": TriggerIncomingCall, "T": TriggerClosedTicket,
}

// legacy field value types (exports before engine type names).
var legacyFieldTypes = map[string]string{"T": "text", "N": "number", "D": "datetime", "S": "state", "I": "district", "W": "ward"}

var fieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,35}$`)

// ExportVersion reads an export file's version ("13", 13 or "11.5") as a number.
func ExportVersion(raw json.RawMessage) (float64, error) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, errors.New("export file has no version")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("export version %q is not a number", s)
	}
	return v, nil
}

// Import reads a RapidPro/TextIt export file into a workspace (runtime.md §7): fields, groups,
// flows (any spec, migrated to the current one), keyword and channel triggers, and the globals
// (created empty) and resthooks (created without subscribers) the flows refer to. Every flow is read before anything is written: a file
// with an unreadable flow is refused whole, naming each bad flow and why. Flows are matched by
// UUID then by name; a matched flow gets a new revision.
func (r *Runtime) Import(ctx context.Context, wsID int64, data []byte, user string) (*ImportResult, error) {
	var file exportFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&file); err != nil {
		return nil, &ImportError{Problems: []string{"not a RapidPro export file: " + jsonProblem(data, err)}}
	}
	v, err := ExportVersion(file.Version)
	if err != nil {
		return nil, &ImportError{Problems: []string{err.Error()}}
	}
	if v < MinExportVersion || v > CurrentExportVersion {
		return nil, &ImportError{Problems: []string{fmt.Sprintf("unsupported export version %s (careflow reads versions %d to %d)",
			strings.Trim(string(file.Version), `"`), MinExportVersion, CurrentExportVersion)}}
	}
	w, err := r.Workspace(ctx, wsID)
	if err != nil {
		return nil, err
	}

	type readFlow struct {
		f    *flow.Flow
		data []byte
	}
	var flows []readFlow
	var problems []string
	rc := flow.ReadConfig{NewUUID: NewUUID}
	for i, raw := range file.Flows {
		f, err := rc.Read(raw)
		name := flowLabel(raw, i)
		if err != nil {
			problems = append(problems, fmt.Sprintf("flow %s: %s", name, err.Error()))
			continue
		}
		if len(f.Nodes) == 0 && hasLegacyContent(raw) {
			problems = append(problems, fmt.Sprintf("flow %s: its legacy content could not be read (export version %s)", name, strings.Trim(string(file.Version), `"`)))
			continue
		}
		out, err := json.Marshal(f)
		if err != nil {
			problems = append(problems, fmt.Sprintf("flow %s: %s", name, err.Error()))
			continue
		}
		flows = append(flows, readFlow{f: f, data: out})
	}
	for i, fd := range file.Fields {
		key, typ := fd.Key, fieldType(fd)
		if !fieldKeyRE.MatchString(key) {
			problems = append(problems, fmt.Sprintf("field %d %q: not a valid field key", i+1, key))
		}
		if typ == "" {
			problems = append(problems, fmt.Sprintf("field %d %q: unknown type %q", i+1, key, fd.Type+fd.ValueType))
		}
	}
	if len(problems) > 0 {
		return nil, &ImportError{Problems: problems}
	}

	res := &ImportResult{}
	defer r.Invalidate(wsID)
	note := func(kind string, i int, name, uuid, action string) {
		res.Changes = append(res.Changes, ImportChange{Kind: kind, Position: i + 1, Name: name, UUID: uuid, Action: action})
	}
	hadField := map[string]bool{}
	for _, f := range w.Assets.Fields {
		hadField[f.Key] = true
	}
	for i, fd := range file.Fields {
		name := fd.Name
		if name == "" {
			name = fd.Label
		}
		if name == "" {
			name = fd.Key
		}
		if err := r.Store.SaveField(ctx, &store.Field{WorkspaceID: wsID, Key: fd.Key, Name: name, Type: fieldType(fd)}); err != nil {
			return res, fmt.Errorf("field %s: %w", fd.Key, err)
		}
		res.Fields++
		if hadField[fd.Key] {
			note("field", i, name, "", ImportUpdated)
		} else {
			note("field", i, name, "", ImportCreated)
		}
	}
	groupUUIDs := map[string]string{} // file UUID → stored UUID
	for i, gd := range file.Groups {
		g := w.Group(gd.UUID)
		if g == nil {
			for _, eg := range w.Groups {
				if strings.EqualFold(eg.Name, gd.Name) {
					g = eg
				}
			}
		}
		if g == nil {
			g = &store.Group{WorkspaceID: wsID, UUID: gd.UUID, Name: gd.Name, Query: gd.Query, Status: "ready"}
			if g.UUID == "" {
				g.UUID = NewUUID()
			}
			if err := r.Store.SaveGroup(ctx, g); err != nil {
				return res, fmt.Errorf("group %s: %w", gd.Name, err)
			}
			res.Groups++
			note("group", i, g.Name, g.UUID, ImportCreated)
		} else {
			note("group", i, g.Name, g.UUID, ImportExisting)
		}
		groupUUIDs[gd.UUID] = g.UUID
	}
	for i, rf := range flows {
		f := rf.f
		action := ImportUpdated
		sf, err := r.Store.GetFlow(ctx, wsID, string(f.UUID))
		if errors.Is(err, store.ErrNotFound) {
			action = ImportCreated
			sf = &store.Flow{WorkspaceID: wsID, UUID: string(f.UUID)}
			err = nil
		}
		if err != nil {
			return res, err
		}
		sf.Name, sf.Type, sf.SpecVersion, sf.Definition = f.Name, string(f.Type), f.SpecVersion, rf.data
		sf.ExpireAfterMins, sf.Archived = f.ExpireAfter(), false
		if err := r.saveFlowUniqueName(ctx, sf, user); err != nil {
			return res, fmt.Errorf("flow %s: %w", f.Name, err)
		}
		res.Flows++
		res.FlowUUIDs = append(res.FlowUUIDs, sf.UUID)
		note("flow", i, sf.Name, sf.UUID, action)
		n, err := r.ensureGlobals(ctx, wsID, f)
		if err != nil {
			return res, err
		}
		res.Globals += n
		if err := r.ensureResthooks(ctx, wsID, f, res); err != nil {
			return res, err
		}
	}
	existing, err := r.Store.ListTriggers(ctx, wsID, true)
	if err != nil {
		return res, err
	}
	for i, td := range file.Triggers {
		typ := exportTriggerTypes[td.TriggerType]
		if typ == "" {
			if _, known := exportTriggerTypes[td.TriggerType]; !known {
				res.Skipped = append(res.Skipped, fmt.Sprintf("trigger of type %q", td.TriggerType))
			}
			continue
		}
		if td.Flow == nil {
			res.Skipped = append(res.Skipped, "trigger without a flow")
			continue
		}
		t := &store.Trigger{WorkspaceID: wsID, Type: typ, FlowUUID: td.Flow.UUID, ReferrerID: td.ReferrerID}
		if td.Channel != nil {
			t.ChannelUUID = td.Channel.UUID
		}
		if typ == TriggerKeyword {
			t.Keywords = td.Keywords
			if len(t.Keywords) == 0 && td.Keyword != "" {
				t.Keywords = []string{td.Keyword}
			}
			if len(t.Keywords) == 0 {
				res.Skipped = append(res.Skipped, "keyword trigger without keywords")
				continue
			}
			t.MatchType = MatchFirstWord
			if td.MatchType == "O" || td.MatchType == MatchOnlyWord {
				t.MatchType = MatchOnlyWord
			}
		}
		for _, g := range td.Groups {
			t.GroupUUIDs = append(t.GroupUUIDs, mapped(groupUUIDs, g.UUID))
		}
		for _, g := range td.ExcludeGroups {
			t.ExcludeGroups = append(t.ExcludeGroups, mapped(groupUUIDs, g.UUID))
		}
		if same := sameTrigger(existing, t); same != nil {
			action := ImportExisting
			if same.Archived {
				same.Archived = false
				if err := r.Store.SaveTrigger(ctx, same); err != nil {
					return res, err
				}
				action = ImportRestored
			}
			note("trigger", i, triggerLabel(t), same.UUID, action)
			continue
		}
		if err := r.Store.SaveTrigger(ctx, t); err != nil {
			return res, fmt.Errorf("trigger: %w", err)
		}
		existing = append(existing, t)
		res.Triggers++
		note("trigger", i, triggerLabel(t), t.UUID, ImportCreated)
	}
	if n := len(file.Campaigns); n > 0 && r.ImportCampaigns == nil {
		res.Skipped = append(res.Skipped, fmt.Sprintf("%d campaign(s): campaigns are not supported yet", n))
	} else if n > 0 {
		if err := r.ImportCampaigns(ctx, wsID, file.Campaigns); err != nil {
			return res, err
		}
	}
	return res, nil
}

func mapped(m map[string]string, uuid string) string {
	if v, ok := m[uuid]; ok {
		return v
	}
	return uuid
}

// saveFlowUniqueName saves a flow, renaming a new one whose name another flow has ("Name 2").
func (r *Runtime) saveFlowUniqueName(ctx context.Context, f *store.Flow, user string) error {
	base := f.Name
	for i := 2; ; i++ {
		err := r.Store.SaveFlow(ctx, f, -1, user)
		if !errors.Is(err, store.ErrConflict) || i > 50 {
			return err
		}
		if other, gerr := r.Store.GetFlowByName(ctx, f.WorkspaceID, f.Name); gerr != nil || other.UUID == f.UUID {
			return err
		}
		f.Name = fmt.Sprintf("%s %d", base, i)
	}
}

// ensureGlobals creates, empty, the globals a flow refers to that the workspace lacks.
func (r *Runtime) ensureGlobals(ctx context.Context, wsID int64, f *flow.Flow) (int, error) {
	globals, err := r.Store.ListGlobals(ctx, wsID)
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	for _, g := range globals {
		have[g.Key] = true
	}
	n := 0
	for _, d := range f.Inspect(nil).Dependencies {
		if d.Type != "global" || d.Key == "" || have[d.Key] {
			continue
		}
		name := d.Name
		if name == "" {
			name = d.Key
		}
		if err := r.Store.SetGlobal(ctx, &store.Global{WorkspaceID: wsID, Key: d.Key, Name: name}); err != nil {
			return n, err
		}
		have[d.Key] = true
		n++
	}
	return n, nil
}

func sameTrigger(list []*store.Trigger, t *store.Trigger) *store.Trigger {
	for _, e := range list {
		if e.Type == t.Type && e.FlowUUID == t.FlowUUID && e.ChannelUUID == t.ChannelUUID &&
			strings.EqualFold(strings.Join(e.Keywords, ","), strings.Join(t.Keywords, ",")) &&
			strings.Join(e.GroupUUIDs, ",") == strings.Join(t.GroupUUIDs, ",") &&
			strings.Join(e.ExcludeGroups, ",") == strings.Join(t.ExcludeGroups, ",") && e.ReferrerID == t.ReferrerID {
			return e
		}
	}
	return nil
}

func fieldType(fd exportField) string {
	t := fd.Type
	if t == "" {
		t = fd.ValueType
	}
	if lt, ok := legacyFieldTypes[t]; ok {
		return lt
	}
	switch t {
	case "text", "number", "datetime", "state", "district", "ward":
		return t
	case "":
		return "text"
	}
	return ""
}

// flowLabel names a flow of an export file for problems: its place in the file's flows, and
// its name when it has one.
func flowLabel(raw json.RawMessage, i int) string {
	var head struct {
		Name     string `json:"name"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	_ = json.Unmarshal(raw, &head)
	switch {
	case head.Name != "":
		return fmt.Sprintf("%d %s", i+1, strconv.Quote(head.Name))
	case head.Metadata.Name != "":
		return fmt.Sprintf("%d %s", i+1, strconv.Quote(head.Metadata.Name))
	}
	return strconv.Itoa(i + 1)
}

// jsonProblem says where in the file JSON could not be read, by line and column.
func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	default:
		return err.Error()
	}
	off = min(off, int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n')) - 1 // Offset is just past the bad byte
	return fmt.Sprintf("%s (line %d, column %d)", err.Error(), line, col)
}

// triggerLabel names a trigger for an import's changes: its type and keywords.
func triggerLabel(t *store.Trigger) string {
	if len(t.Keywords) > 0 {
		return t.Type + " " + strings.Join(t.Keywords, ", ")
	}
	return t.Type
}

// hasLegacyContent says a raw flow had legacy action or rule sets (so no nodes means it was
// not understood, never that it was empty).
func hasLegacyContent(raw json.RawMessage) bool {
	var head struct {
		ActionSets []json.RawMessage `json:"action_sets"`
		RuleSets   []json.RawMessage `json:"rule_sets"`
		Definition *struct {
			ActionSets []json.RawMessage `json:"action_sets"`
			RuleSets   []json.RawMessage `json:"rule_sets"`
		} `json:"definition"`
	}
	_ = json.Unmarshal(raw, &head)
	n := len(head.ActionSets) + len(head.RuleSets)
	if head.Definition != nil {
		n += len(head.Definition.ActionSets) + len(head.Definition.RuleSets)
	}
	return n > 0
}
