package cht

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"careflow/store"
)

// DocIDsWarnLimit is the number of documents from which CHT warns that an offline user
// replicates too much.
const DocIDsWarnLimit = 10000

// ReplicationScope is the user an offline replication is counted for: CHT's userCtx as the
// authorization service reads it.
type ReplicationScope struct {
	Name        string
	Roles       []string
	FacilityIDs []string
	ContactID   string
}

// DocCounts is GET /api/v1/users-info's answer.
type DocCounts struct {
	TotalDocs int  `json:"total_docs"`
	WarnDocs  int  `json:"warn_docs"`
	Warn      bool `json:"warn"`
	Limit     int  `json:"limit"`
}

// replicationPage is how many documents a scan reads at a time.
const replicationPage = 500

// ReplicationCounts counts the documents an offline user with scope would replicate, as CHT's
// authorization service decides them (§7.4):
//
//   - the user's subjects are every contact at or below one of its places, down to the deepest
//     replication_depth configured for its roles (no limit when none is), by _id and by short
//     code (patient_id, else place_id), plus "_all", the user's settings id and, for district
//     admins allowed unallocated records, "_unassigned";
//   - a document is replicated when its docs_by_replication_key key is a subject: contacts by
//     _id; reports by their subject (patient_id, place_id, patient_uuid, else the submitter),
//     and for needs_signoff reports every ancestor of the submitter; tasks by user; targets by
//     owner; forms, translations and the resources/branding/partners/settings-like documents
//     by "_all";
//   - a private report about the user's own place or contact is left out unless its submitter
//     is a subject; with a report_depth, a report counts only when its subject is that close to
//     the user's place or the user submitted it;
//   - _design/medic-client and the user's settings document always count.
//
// warn_docs leaves out tasks (careflow keeps no tombstones and purges nothing). careflow stores
// app_settings outside the documents, so CHT's "settings" document is counted as present.
// Reports, tasks and targets are read by scanning them, which costs one pass over them.
func (c *Contacts) ReplicationCounts(ctx context.Context, scope ReplicationScope) (DocCounts, error) {
	settings, err := c.settings.Get(ctx)
	if err != nil {
		return DocCounts{}, err
	}
	a := &replicationAuth{scope: scope, subjects: map[string]bool{}, depths: map[string]int{}}
	a.contactDepth, a.reportDepth = replicationDepth(settings, scope.Roles)
	ids := map[string]bool{"_design/medic-client": true, UserIDPrefix + scope.Name: true}
	tasks := map[string]bool{}

	a.subjects["_all"] = true
	a.subjects[UserIDPrefix+scope.Name] = true
	for _, f := range scope.FacilityIDs {
		if err := a.walk(ctx, c.docs.Store, settings, f, ids); err != nil {
			return DocCounts{}, err
		}
	}
	if truthy(settings["district_admins_access_unallocated_messages"]) &&
		HasPermissions(settings, scope.Roles, "can_view_unallocated_data_records") {
		a.subjects["_unassigned"] = true
		a.depths["_unassigned"] = 0
	}
	if err := a.sensitiveSubjects(ctx, c.docs.Store); err != nil {
		return DocCounts{}, err
	}

	// "_all" documents.
	all, err := c.docs.Store.GetDocs(ctx, allKeyIDs)
	if err != nil {
		return DocCounts{}, err
	}
	for _, d := range all {
		ids[d.ID] = true
	}
	ids["settings"] = true
	for _, t := range []string{"form", "translations"} {
		err := scanDocs(ctx, c.docs.Store, store.DocQuery{Type: t}, func(d store.Doc) { ids[d.ID] = true })
		if err != nil {
			return DocCounts{}, err
		}
	}
	// Reports, tasks and targets.
	err = scanDocs(ctx, c.docs.Store, store.DocQuery{Type: "data_record"}, func(d store.Doc) {
		if a.allowedReport(reportKeys(d.Fields)) {
			ids[d.ID] = true
		}
	})
	if err != nil {
		return DocCounts{}, err
	}
	for _, kind := range []struct{ typ, key string }{{"task", "user"}, {"target", "owner"}} {
		err := scanDocs(ctx, c.docs.Store, store.DocQuery{Type: kind.typ}, func(d store.Doc) {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(d.Fields, &m)
			var key string
			if json.Unmarshal(m[kind.key], &key) == nil && a.subjects[key] {
				if kind.typ == "task" {
					tasks[d.ID] = true
				} else {
					ids[d.ID] = true
				}
			}
		})
		if err != nil {
			return DocCounts{}, err
		}
	}
	warn := len(ids)
	for id := range tasks {
		ids[id] = true
	}
	return DocCounts{TotalDocs: len(ids), WarnDocs: warn, Warn: warn >= DocIDsWarnLimit, Limit: DocIDsWarnLimit}, nil
}

// allKeyIDs are the documents docs_by_replication_key gives to everyone by _id.
var allKeyIDs = []string{"resources", "branding", "partners", "service-worker-meta", "zscore-charts", "settings", "privacy-policies"}

type replicationAuth struct {
	scope        ReplicationScope
	contactDepth int // -1: no limit
	reportDepth  int // -1: no limit
	subjects     map[string]bool
	depths       map[string]int // subject -> depth below the user's place
	sensitive    map[string]bool
}

// replicationDepth reads app_settings.replication_depth: the deepest depth among the roles'
// entries, and the report_depth of that entry (-1 when absent).
func replicationDepth(settings map[string]any, roles []string) (contact, report int) {
	contact, report = -1, -1
	list, _ := settings["replication_depth"].([]any)
	for _, role := range roles {
		for _, e := range list {
			m, _ := e.(map[string]any)
			if m == nil || m["role"] != role {
				continue
			}
			d, ok := jsParseInt(m["depth"])
			if ok && d > contact {
				contact = d
				if r, ok := jsParseInt(m["report_depth"]); ok {
					report = r
				} else {
					report = -1
				}
			}
			break // CHT uses the first entry for a role
		}
	}
	return contact, report
}

// jsParseInt is JavaScript's parseInt(String(v), 10) for the values settings hold.
func jsParseInt(v any) (int, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = strings.TrimSpace(t)
	case json.Number:
		s = t.String()
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return 0, false
	}
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	return n, err == nil
}

// walk adds facility and the contacts below it, down to the contact depth, as subjects.
func (a *replicationAuth) walk(ctx context.Context, st store.DocStore, settings map[string]any, facility string, ids map[string]bool) error {
	level := []string{facility}
	first, err := st.GetDocs(ctx, level)
	if err != nil {
		return err
	}
	// The view keys contacts by the ids in their stored lineage, so the contacts below a
	// missing place still count.
	if len(first) > 0 && isContactDocType(docType(first[0].Fields)) {
		a.addContact(first[0], 0, ids)
		if isPersonDoc(settings, first[0].Fields) {
			return nil
		}
	}
	for depth := 1; len(level) > 0 && (a.contactDepth < 0 || depth <= a.contactDepth); depth++ {
		var next []string
		for _, parent := range level {
			err := scanDocs(ctx, st, store.DocQuery{ParentID: parent}, func(d store.Doc) {
				if !isContactDocType(docType(d.Fields)) || ids[d.ID] {
					return
				}
				a.addContact(d, depth, ids)
				if !isPersonDoc(settings, d.Fields) {
					next = append(next, d.ID)
				}
			})
			if err != nil {
				return err
			}
		}
		level = next
	}
	return nil
}

func (a *replicationAuth) addContact(d store.Doc, depth int, ids map[string]bool) {
	ids[d.ID] = true
	for _, s := range []string{d.ID, shortCode(d.Fields)} {
		if s == "" || a.subjects[s] {
			continue
		}
		a.subjects[s] = true
		a.depths[s] = depth
	}
}

// sensitiveSubjects are the user's places and contact with their short codes: private
// reports about them are not shown to the user unless it may see their submitter.
func (a *replicationAuth) sensitiveSubjects(ctx context.Context, st store.DocStore) error {
	a.sensitive = map[string]bool{}
	own := append([]string{}, a.scope.FacilityIDs...)
	if a.scope.ContactID != "" {
		own = append(own, a.scope.ContactID)
	}
	docs, err := st.GetDocs(ctx, own)
	if err != nil {
		return err
	}
	for _, id := range own {
		a.sensitive[id] = true
	}
	for _, d := range docs {
		var m struct {
			PatientID any `json:"patient_id"`
			PlaceID   any `json:"place_id"`
		}
		_ = json.Unmarshal(d.Fields, &m)
		for _, v := range []any{m.PatientID, m.PlaceID} {
			if s, ok := v.(string); ok && s != "" {
				a.sensitive[s] = true
			}
		}
	}
	return nil
}

// replicationKey is one row a report emits in docs_by_replication_key.
type replicationKey struct {
	subject, submitter string
	private            bool
}

// allowedReport applies CHT's checks to the rows of one report: some row's subject is a
// subject of the user, not sensitive, and within the report depth.
func (a *replicationAuth) allowedReport(keys []replicationKey) bool {
	if !a.allowedDepth(keys) {
		return false
	}
	for _, k := range keys {
		if !a.subjects[k.subject] {
			continue
		}
		if k.private && k.submitter != "" && a.sensitive[k.subject] && !a.subjects[k.submitter] {
			continue
		}
		return true
	}
	return false
}

func (a *replicationAuth) allowedDepth(keys []replicationKey) bool {
	if a.reportDepth < 0 {
		return true
	}
	for _, k := range keys {
		if k.submitter != "" && k.submitter == a.scope.ContactID {
			return true
		}
		if d, ok := a.depths[k.subject]; ok && d <= a.reportDepth {
			return true
		}
	}
	return false
}

// reportKeys computes what docs_by_replication_key emits for a data_record.
func reportKeys(fields json.RawMessage) []replicationKey {
	var r struct {
		Form      any             `json:"form"`
		PatientID any             `json:"patient_id"`
		PlaceID   any             `json:"place_id"`
		Contact   json.RawMessage `json:"contact"`
		Errors    []struct {
			Code any `json:"code"`
		} `json:"errors"`
		Fields struct {
			PatientID    any `json:"patient_id"`
			PlaceID      any `json:"place_id"`
			PatientUUID  any `json:"patient_uuid"`
			Private      any `json:"private"`
			NeedsSignoff any `json:"needs_signoff"`
		} `json:"fields"`
		SMSMessage   any             `json:"sms_message"`
		KujuaMessage any             `json:"kujua_message"`
		Tasks        json.RawMessage `json:"tasks"`
	}
	if json.Unmarshal(fields, &r) != nil {
		// A member of an unexpected shape: read what can be read loosely.
		var loose map[string]json.RawMessage
		_ = json.Unmarshal(fields, &loose)
		_ = json.Unmarshal(loose["form"], &r.Form)
		_ = json.Unmarshal(loose["patient_id"], &r.PatientID)
		_ = json.Unmarshal(loose["place_id"], &r.PlaceID)
		r.Contact = loose["contact"]
	}
	chain := contactChain(r.Contact)
	contactID := ""
	if len(chain) > 0 {
		contactID = chain[0]
	}
	subject := ""
	switch {
	case truthy(r.Form):
		for _, e := range r.Errors {
			if contactID != "" && (e.Code == "registration_not_found" || e.Code == "invalid_patient_id") {
				subject = contactID
				break
			}
		}
		if subject == "" {
			subject = firstKey(r.PatientID, r.Fields.PatientID, r.PlaceID, r.Fields.PlaceID, r.Fields.PatientUUID, contactID)
		}
	case truthy(r.SMSMessage):
		subject = contactID
	case truthy(r.KujuaMessage):
		subject = firstMessageContact(r.Tasks)
	}
	if subject == "" {
		subject = "_unassigned"
	}
	k := replicationKey{subject: subject, private: truthy(r.Fields.Private)}
	if truthy(r.Form) && len(r.Contact) > 0 && string(r.Contact) != "null" {
		k.submitter = contactID
	}
	keys := []replicationKey{k}
	if truthy(r.Fields.NeedsSignoff) && len(chain) > 0 {
		for _, id := range chain {
			if id != subject {
				keys = append(keys, replicationKey{subject: id, submitter: k.submitter, private: k.private})
			}
		}
	}
	return keys
}

// firstKey is the first truthy value of a JavaScript || chain, as a view key string (only
// strings can equal the string subjects).
func firstKey(vs ...any) string {
	for _, v := range vs {
		if truthy(v) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// contactChain lists the _ids of a minified contact and its ancestors, nearest first.
func contactChain(raw json.RawMessage) []string {
	var out []string
	for depth := 0; len(raw) > 0 && depth <= maxLineageDepth; depth++ {
		var n struct {
			ID     any             `json:"_id"`
			Parent json.RawMessage `json:"parent"`
		}
		if json.Unmarshal(raw, &n) != nil {
			break
		}
		if id, ok := n.ID.(string); ok && id != "" {
			out = append(out, id)
		}
		raw = n.Parent
	}
	return out
}

func firstMessageContact(tasks json.RawMessage) string {
	var t []struct {
		Messages []struct {
			Contact struct {
				ID string `json:"_id"`
			} `json:"contact"`
		} `json:"messages"`
	}
	if json.Unmarshal(tasks, &t) != nil || len(t) == 0 || len(t[0].Messages) == 0 {
		return ""
	}
	return t[0].Messages[0].Contact.ID
}

func docType(fields json.RawMessage) string {
	var h struct {
		Type any `json:"type"`
	}
	_ = json.Unmarshal(fields, &h)
	s, _ := h.Type.(string)
	return s
}

// shortCode is a contact's patient_id, else its place_id (contacts_by_depth's value).
func shortCode(fields json.RawMessage) string {
	var m struct {
		PatientID any `json:"patient_id"`
		PlaceID   any `json:"place_id"`
	}
	_ = json.Unmarshal(fields, &m)
	return firstKey(m.PatientID, m.PlaceID)
}

func isPersonDoc(settings map[string]any, fields json.RawMessage) bool {
	var h struct {
		Type        string `json:"type"`
		ContactType string `json:"contact_type"`
	}
	_ = json.Unmarshal(fields, &h)
	id := h.Type
	if h.Type == "contact" {
		id = h.ContactType
	}
	ct := findType(settings, id)
	return ct != nil && ct.Person || id == "person"
}

// scanDocs calls fn for every document q selects, a page at a time.
func scanDocs(ctx context.Context, st store.DocStore, q store.DocQuery, fn func(store.Doc)) error {
	q.Limit = replicationPage
	for q.Offset = 0; ; q.Offset += replicationPage {
		page, err := st.FindDocs(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range page {
			fn(d)
		}
		if len(page) < replicationPage {
			return nil
		}
	}
}
