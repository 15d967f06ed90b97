package flow

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Validate checks the flow as a whole, with the reference engine's messages: limits, unique
// node/action/exit UUIDs, exits leading to known nodes, actions and waits allowed for the flow
// type, router categories/cases/exits consistent, and the localization well formed. Read calls
// it; call it again after building or changing a Flow in code.
func (f *Flow) Validate() error {
	if len(f.Nodes) > MaxNodes {
		return fmt.Errorf("flow can't have more than %d nodes (has %d)", MaxNodes, len(f.Nodes))
	}
	if len(f.UI) > MaxUIBytes {
		return fmt.Errorf("flow UI can't be larger than %d bytes (is %d)", MaxUIBytes, len(f.UI))
	}
	nodes := make(map[NodeUUID]bool, len(f.Nodes))
	for _, n := range f.Nodes {
		nodes[n.UUID] = true
	}
	seen := map[string]bool{}
	for _, n := range f.Nodes {
		if seen[string(n.UUID)] {
			return fmt.Errorf("node UUID %s isn't unique", n.UUID)
		}
		seen[string(n.UUID)] = true
		if err := n.validate(f, nodes, seen); err != nil {
			return fmt.Errorf("invalid node[uuid=%s]: %w", n.UUID, err)
		}
	}
	if err := f.Localization.validate(); err != nil {
		return fmt.Errorf("invalid localization: %w", err)
	}
	return nil
}

func (n *Node) validate(f *Flow, nodes map[NodeUUID]bool, seen map[string]bool) error {
	if len(n.Actions) > MaxActionsPerNode {
		return fmt.Errorf("node can't have more than %d actions (has %d)", MaxActionsPerNode, len(n.Actions))
	}
	if len(n.Exits) > MaxExitsPerNode {
		return fmt.Errorf("node can't have more than %d exits (has %d)", MaxExitsPerNode, len(n.Exits))
	}
	for _, a := range n.Actions {
		if !allowedIn(a, f.Type) {
			return fmt.Errorf("action type '%s' is not allowed in a flow of type '%s'", a.Type(), f.Type)
		}
		if seen[string(a.UUID())] {
			return fmt.Errorf("action UUID %s isn't unique", a.UUID())
		}
		seen[string(a.UUID())] = true
		if err := a.validate(); err != nil {
			return fmt.Errorf("invalid action[uuid=%s, type=%s]: %w", a.UUID(), a.Type(), err)
		}
	}
	if n.Router != nil {
		if err := n.Router.validate(f, n.Exits); err != nil {
			return fmt.Errorf("invalid router: %w", err)
		}
	}
	for _, x := range n.Exits {
		if seen[string(x.UUID)] {
			return fmt.Errorf("exit UUID %s isn't unique", x.UUID)
		}
		seen[string(x.UUID)] = true
		if x.DestinationUUID != "" && !nodes[x.DestinationUUID] {
			return fmt.Errorf("destination %s of exit[uuid=%s] isn't a known node", x.DestinationUUID, x.UUID)
		}
	}
	return nil
}

func (r *Router) validate(f *Flow, exits []*Exit) error {
	if r.Type == RouterSwitch {
		if len(r.Cases) > MaxCases {
			return fmt.Errorf("can't have more than %d cases (has %d)", MaxCases, len(r.Cases))
		}
		if r.DefaultCategoryUUID != "" && r.Category(r.DefaultCategoryUUID) == nil {
			return fmt.Errorf("default category %s is not a valid category", r.DefaultCategoryUUID)
		}
		for _, c := range r.Cases {
			if err := c.validate(r); err != nil {
				return fmt.Errorf("invalid case[uuid=%s]: %s", c.UUID, err)
			}
		}
	}
	if len(r.Categories) > MaxCategories {
		return fmt.Errorf("can't have more than %d categories (has %d)", MaxCategories, len(r.Categories))
	}
	if r.Wait != nil && r.Wait.Timeout != nil && r.Category(r.Wait.Timeout.CategoryUUID) == nil {
		return fmt.Errorf("timeout category %s is not a valid category", r.Wait.Timeout.CategoryUUID)
	}
	for _, c := range r.Categories {
		if c.ExitUUID != "" && !hasExit(exits, c.ExitUUID) {
			return fmt.Errorf("category exit %s is not a valid exit", c.ExitUUID)
		}
	}
	if r.Wait != nil && !waitAllowed(r.Wait.Type, f.Type) {
		return fmt.Errorf("wait type '%s' is not allowed in a flow of type '%s'", r.Wait.Type, f.Type)
	}
	return nil
}

func (c *Case) validate(r *Router) error {
	if r.Category(c.CategoryUUID) == nil {
		return fmt.Errorf("category %s is not a valid category", c.CategoryUUID)
	}
	if !routerTests[c.Type] {
		return fmt.Errorf("%s is not a registered test function", c.Type)
	}
	if len(c.Arguments) > MaxCaseArguments {
		return fmt.Errorf("can't have more than %d arguments (has %d)", MaxCaseArguments, len(c.Arguments))
	}
	return nil
}

func hasExit(exits []*Exit, uuid ExitUUID) bool {
	for _, x := range exits {
		if x.UUID == uuid {
			return true
		}
	}
	return false
}

// waitAllowed: msg waits need an interactive flow, dial waits a voice flow.
func waitAllowed(wait string, t Type) bool {
	switch wait {
	case WaitMsg:
		return t == TypeMessaging || t == TypeMessagingOffline || t == TypeVoice
	case WaitDial:
		return t == TypeVoice
	}
	return false
}

func (l Localization) validate() error {
	for _, lang := range l.Languages() {
		if !ValidLanguage(lang) {
			return fmt.Errorf("invalid language code '%s'", lang)
		}
		if err := l[lang].validate(); err != nil {
			return fmt.Errorf("invalid translation for '%s': %w", lang, err)
		}
	}
	return nil
}

func (lt LanguageTranslation) validate() error {
	if len(lt) > MaxItemsPerLanguage {
		return fmt.Errorf("can't have more than %d item translations (has %d)", MaxItemsPerLanguage, len(lt))
	}
	for _, item := range sortedKeys(lt) {
		if !isUUID(item) {
			return fmt.Errorf("invalid item uuid '%s'", item)
		}
		if err := lt[item].validate(); err != nil {
			return fmt.Errorf("invalid item translation for '%s': %w", item, err)
		}
	}
	return nil
}

func (it ItemTranslation) validate() error {
	if len(it) > MaxPropertiesPerItem {
		return fmt.Errorf("can't have more than %d properties (has %d)", MaxPropertiesPerItem, len(it))
	}
	for _, prop := range sortedKeys(it) {
		if n := utf8.RuneCountInString(prop); n < 1 || n > 64 {
			return fmt.Errorf("invalid property name '%s'", truncateEllipsis(prop, 32))
		}
		var vals []any
		if json.Unmarshal(it[prop], &vals) != nil {
			continue // editors keep non-list metadata here; tolerated
		}
		if len(vals) > MaxValuesPerProperty {
			return fmt.Errorf("translation for '%s' can't have more than %d values (has %d)", prop, MaxValuesPerProperty, len(vals))
		}
		for _, v := range vals {
			if s, ok := v.(string); ok {
				if n := utf8.RuneCountInString(s); n > MaxTranslationChars {
					return fmt.Errorf("translation value for '%s' can't be longer than %d chars (is %d)", prop, MaxTranslationChars, n)
				}
			} else if b, _ := json.Marshal(v); len(b) > MaxTranslationChars {
				return fmt.Errorf("translation value for '%s' can't be larger than %d bytes (is %d)", prop, MaxTranslationChars, len(b))
			}
		}
	}
	return nil
}

// truncateEllipsis shortens s to n characters, the last three being "...".
func truncateEllipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
