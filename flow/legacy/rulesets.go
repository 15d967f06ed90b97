package legacy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

type rulesetConfig struct {
	Flow           *flowRef `json:"flow"`
	FieldDelimiter string   `json:"field_delimiter"`
	FieldIndex     int      `json:"field_index"`
	Webhook        string   `json:"webhook"`
	WebhookAction  string   `json:"webhook_action"`
	WebhookHeaders []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"webhook_headers"`
	Resthook string `json:"resthook"`
}

// ruleSet converts a rule set into a node with a router (and, for webhook, resthook, subflow and
// airtime rule sets, the action that used to be implicit), returning the editor node type and
// config for the _ui section.
func (c *converter) ruleSet(r ruleSet) (map[string]any, string, map[string]any, error) {
	uiConfig := map[string]any{}
	rs, err := c.rules(r, uiConfig)
	if err != nil {
		return nil, "", nil, err
	}
	var cfg rulesetConfig
	if len(r.Config) > 0 && string(r.Config) != "null" {
		// airtime configs are shaped differently; they are read below
		_ = json.Unmarshal(r.Config, &cfg)
	}
	resultName := r.Label
	if r.Type == "" {
		r.Type = "wait_message" // older flows leave it unset
	}

	var acts []any
	var router map[string]any
	var uiType string
	switch r.Type {
	case "subflow":
		if cfg.Flow == nil {
			return nil, "", nil, fmt.Errorf("subflow ruleset has no flow in its config")
		}
		acts = []any{map[string]any{"uuid": c.cfg.NewUUID(), "type": "enter_flow",
			"flow": map[string]any{"uuid": cfg.Flow.UUID, "name": cfg.Flow.Name}}}
		router = c.switchRouter(nil, resultName, rs, "@child.status")
		uiType = "split_by_subflow"

	case "webhook":
		method := strings.ToUpper(cfg.WebhookAction)
		if method == "" {
			method = "POST"
		}
		headers := map[string]any{}
		a := map[string]any{"uuid": c.cfg.NewUUID(), "type": "call_webhook", "method": method,
			"url": c.expr(cfg.Webhook, ExprOptions{URLEncode: true})}
		if method == "POST" {
			headers["Content-Type"] = "application/json"
			a["body"] = legacyWebhookPayload
		}
		for _, h := range cfg.WebhookHeaders {
			if h.Name != "" { // editors left empty headers behind
				headers[h.Name] = c.tpl(h.Value)
			}
		}
		if len(headers) > 0 {
			a["headers"] = headers
		}
		if resultName != "" {
			a["result_name"] = resultName
		}
		acts = []any{a}
		// the webhook's status was saved as the result's category
		router = c.switchRouter(nil, "", rs, "@results."+snakify(resultName)+".category")
		uiType = "split_by_webhook"

	case "resthook":
		a := map[string]any{"uuid": c.cfg.NewUUID(), "type": "call_resthook", "resthook": cfg.Resthook}
		if resultName != "" {
			a["result_name"] = resultName
		}
		acts = []any{a}
		router = c.switchRouter(nil, "", rs, "@results."+snakify(resultName)+".category")
		uiType = "split_by_resthook"

	case "form_field":
		operand := strings.TrimPrefix(c.tpl(r.Operand), "@")
		operand = fmt.Sprintf("@(field(%s, %d, \"%s\"))", operand, cfg.FieldIndex, cfg.FieldDelimiter)
		router = c.switchRouter(nil, resultName, rs, operand)
		if i := strings.LastIndex(r.Operand, "."); i >= 0 {
			uiConfig["operand"] = map[string]any{"id": r.Operand[i+1:]}
			uiConfig["delimiter"] = cfg.FieldDelimiter
			uiConfig["index"] = cfg.FieldIndex
		}
		uiType = "split_by_run_result_delimited"

	case "group":
		// the legacy operand (@step.value) was never used by group splits
		router = c.switchRouter(nil, resultName, rs, "@contact.groups")
		uiType = "split_by_groups"

	case "wait_message", "wait_audio", "wait_video", "wait_photo", "wait_gps", "wait_recording", "wait_digit", "wait_digits":
		wait := map[string]any{"type": "msg"}
		if rs.timeoutSeconds > 0 && rs.timeoutCategory != "" {
			wait["timeout"] = map[string]any{"seconds": rs.timeoutSeconds, "category_uuid": rs.timeoutCategory}
		}
		hint, operand := waitHint(r)
		if hint != nil {
			wait["hint"] = hint
		}
		router = c.switchRouter(wait, resultName, rs, operand)
		uiType = "wait_for_response"

	case "flow_field", "contact_field", "expression":
		uiType = c.fieldSplitUI(r, uiConfig)
		operand := c.expr(r.Operand, ExprOptions{DefaultToSelf: r.Type == "expression"})
		if operand == "" {
			operand = "@input"
		}
		router = c.switchRouter(nil, resultName, rs, operand)

	case "random":
		router = map[string]any{"type": "random", "categories": rs.categories}
		if resultName != "" {
			router["result_name"] = resultName
		}
		uiType = "split_by_random"

	case "airtime":
		amounts, err := airtimeAmounts(r.Config)
		if err != nil {
			return nil, "", nil, err
		}
		a := map[string]any{"uuid": c.cfg.NewUUID(), "type": "transfer_airtime", "amounts": amounts}
		if resultName != "" {
			a["result_name"] = resultName
		}
		acts = []any{a}
		router = c.switchRouter(nil, "", rs, "@results."+snakify(resultName))
		uiType = "split_by_airtime"

	default:
		return nil, "", nil, fmt.Errorf("unrecognized ruleset type: %s", r.Type)
	}
	return newNode(r.UUID, acts, router, rs.exits), uiType, uiConfig, nil
}

func (c *converter) switchRouter(wait map[string]any, resultName string, rs *converted, operand string) map[string]any {
	r := map[string]any{
		"type":                  "switch",
		"categories":            rs.categories,
		"operand":               operand,
		"cases":                 rs.cases,
		"default_category_uuid": rs.defaultCategory,
	}
	if wait != nil {
		r["wait"] = wait
	}
	if resultName != "" {
		r["result_name"] = resultName
	}
	return r
}

// waitHint gives the msg wait hint and operand for each kind of waiting rule set.
func waitHint(r ruleSet) (map[string]any, string) {
	switch r.Type {
	case "wait_audio", "wait_recording":
		return map[string]any{"type": "audio"}, "@input"
	case "wait_video":
		return map[string]any{"type": "video"}, "@input"
	case "wait_photo":
		return map[string]any{"type": "image"}, "@input"
	case "wait_gps":
		return map[string]any{"type": "location"}, "@input"
	case "wait_digit":
		return map[string]any{"type": "digits", "count": 1}, "@input.text"
	case "wait_digits":
		return map[string]any{"type": "digits", "terminated_by": r.FinishedKey}, "@input.text"
	}
	return nil, "@input"
}

// fieldSplitUI picks the editor node type (and operand config) of field and expression splits.
func (c *converter) fieldSplitUI(r ruleSet, uiConfig map[string]any) string {
	key := ""
	if i := strings.LastIndex(r.Operand, "."); i >= 0 {
		key = r.Operand[i+1:]
	}
	switch r.Type {
	case "flow_field":
		if key != "" {
			uiConfig["operand"] = map[string]any{"id": key}
		}
		return "split_by_run_result"
	case "contact_field":
		switch {
		case key == "":
		case key == "name":
			uiConfig["operand"] = map[string]any{"type": "property", "id": "name", "name": "Name"}
		case key == "groups":
			return "split_by_expression"
		case urnSchemes[key]:
			uiConfig["operand"] = map[string]any{"type": "scheme", "id": key}
		default:
			uiConfig["operand"] = map[string]any{"type": "field", "id": key}
		}
		return "split_by_contact_field"
	}
	return "split_by_expression"
}

// airtimeAmounts reads an airtime rule set's per-country config into currency amounts.
func airtimeAmounts(raw json.RawMessage) (map[string]any, error) {
	var byCountry map[string]struct {
		CurrencyCode string      `json:"currency_code"`
		Amount       json.Number `json:"amount"`
	}
	if err := json.Unmarshal(raw, &byCountry); err != nil {
		return nil, err
	}
	countries := make([]string, 0, len(byCountry))
	for k := range byCountry {
		countries = append(countries, k)
	}
	sort.Strings(countries)
	amounts := map[string]any{}
	for _, k := range countries {
		cc := byCountry[k]
		if prev, ok := amounts[cc.CurrencyCode]; ok && !sameNumber(prev.(json.Number), cc.Amount) {
			return nil, fmt.Errorf("unable to migrate airtime ruleset with different amounts in same currency")
		}
		amounts[cc.CurrencyCode] = cc.Amount
	}
	return amounts, nil
}

func sameNumber(a, b json.Number) bool {
	af, _ := a.Float64()
	bf, _ := b.Float64()
	return af == bf
}

// snakify makes a result key from a name: trimmed, every run of characters other than letters,
// digits and _ replaced by a single _, lowercased.
func snakify(s string) string {
	return strings.ToLower(nonWord.ReplaceAllString(strings.TrimSpace(s), "_"))
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{Nd}_]+`)
