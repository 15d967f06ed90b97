package runtime

import (
	"context"
	"regexp"
	"strings"

	"careflow/expr"
	"careflow/store"
)

// Trigger types (store.Trigger.Type).
const (
	TriggerKeyword         = "keyword"
	TriggerCatchAll        = "catch_all"
	TriggerNewConversation = "new_conversation"
	TriggerReferral        = "referral"
	TriggerMissedCall      = "missed_call"
	TriggerIncomingCall    = "incoming_call"
	TriggerSchedule        = "schedule"
	TriggerClosedTicket    = "closed_ticket"
)

// Keyword match types.
const (
	MatchFirstWord = "first_word"
	MatchOnlyWord  = "only_word"
)

// TriggerTypes lists every trigger type the runtime knows.
var TriggerTypes = []string{TriggerKeyword, TriggerCatchAll, TriggerNewConversation, TriggerReferral,
	TriggerMissedCall, TriggerIncomingCall, TriggerSchedule, TriggerClosedTicket}

// keywordTokens splits text as mailroom does: runs of letters, marks, digits, underscores and
// apostrophes, or single symbols (so an emoji can be a keyword).
var keywordTokens = regexp.MustCompile(`[\pM\pL\pN_']+|\pS`)

// matchMsgTrigger finds the trigger an incoming message starts (runtime.md §2.3): a keyword
// trigger whose keyword is the first token (and the only one, for only_word), else a
// catch-all; among candidates the best qualified wins (channel +4, group +2, exclusion +1).
func (w *Workspace) matchMsgTrigger(text, channelUUID string, contactGroups map[string]bool) (t *store.Trigger, keyword string) {
	tokens := keywordTokens.FindAllString(text, 2)
	var first string
	if len(tokens) > 0 {
		first = expr.Collate(w.Env, tokens[0])
	}
	only := len(tokens) == 1
	var keywordCands []*store.Trigger
	if first != "" {
		for _, tr := range w.Triggers {
			if tr.Type != TriggerKeyword || tr.Archived {
				continue
			}
			if tr.MatchType == MatchOnlyWord && !only {
				continue
			}
			for _, k := range tr.Keywords {
				if expr.Collate(w.Env, k) == first {
					keywordCands = append(keywordCands, tr)
					break
				}
			}
		}
	}
	if best := bestTrigger(keywordCands, channelUUID, contactGroups); best != nil {
		return best, tokens[0]
	}
	return bestTrigger(w.triggersOfType(TriggerCatchAll), channelUUID, contactGroups), ""
}

// matchEventTrigger finds the trigger a channel event starts; referrals match their referrer
// id case-insensitively, falling back to a referral trigger without one.
func (w *Workspace) matchEventTrigger(typ, channelUUID, referrerID string, contactGroups map[string]bool) *store.Trigger {
	cands := w.triggersOfType(typ)
	if typ == TriggerReferral {
		var exact, blank []*store.Trigger
		for _, t := range cands {
			switch {
			case t.ReferrerID == "":
				blank = append(blank, t)
			case strings.EqualFold(t.ReferrerID, referrerID):
				exact = append(exact, t)
			}
		}
		if best := bestTrigger(exact, channelUUID, contactGroups); best != nil {
			return best
		}
		cands = blank
	}
	return bestTrigger(cands, channelUUID, contactGroups)
}

func (w *Workspace) triggersOfType(typ string) []*store.Trigger {
	var out []*store.Trigger
	for _, t := range w.Triggers {
		if t.Type == typ && !t.Archived {
			out = append(out, t)
		}
	}
	return out
}

// bestTrigger applies the qualifiers: a trigger for another channel, for groups the contact
// is not in, or excluding a group the contact is in never matches; the rest are scored.
func bestTrigger(cands []*store.Trigger, channelUUID string, groups map[string]bool) *store.Trigger {
	var best *store.Trigger
	bestScore := -1
	for _, t := range cands {
		score := 0
		if t.ChannelUUID != "" {
			if t.ChannelUUID != channelUUID {
				continue
			}
			score += 4
		}
		if len(t.GroupUUIDs) > 0 {
			in := false
			for _, g := range t.GroupUUIDs {
				if groups[g] {
					in = true
					break
				}
			}
			if !in {
				continue
			}
			score += 2
		}
		if len(t.ExcludeGroups) > 0 {
			excluded := false
			for _, g := range t.ExcludeGroups {
				if groups[g] {
					excluded = true
					break
				}
			}
			if excluded {
				continue
			}
			score++
		}
		if score > bestScore {
			best, bestScore = t, score
		}
	}
	return best
}

// MaxKeywordLength is the longest trigger keyword (runtime.md §2.3).
const MaxKeywordLength = 16

// SaveTrigger validates and stores a trigger.
func (r *Runtime) SaveTrigger(ctx context.Context, t *store.Trigger) error {
	w, err := r.Workspace(ctx, t.WorkspaceID)
	if err != nil {
		return err
	}
	known := false
	for _, typ := range TriggerTypes {
		known = known || typ == t.Type
	}
	if !known {
		return invalid("trigger_type: %q is not one of %s", t.Type, strings.Join(TriggerTypes, ", "))
	}
	f := w.Flows[t.FlowUUID]
	if f == nil {
		for _, cand := range w.Flows {
			if strings.EqualFold(cand.Name, t.FlowUUID) {
				f = cand
			}
		}
	}
	if f == nil {
		return invalid("flow: no such flow: %s", t.FlowUUID)
	}
	t.FlowUUID = f.UUID
	if t.Type == TriggerKeyword {
		if len(t.Keywords) == 0 {
			return invalid("keywords: a keyword trigger needs at least one keyword")
		}
		for _, k := range t.Keywords {
			toks := keywordTokens.FindAllString(k, -1)
			if len(k) > MaxKeywordLength || len(toks) != 1 || toks[0] != k {
				return invalid("keywords: %q must be a single word of at most %d characters", k, MaxKeywordLength)
			}
		}
		if t.MatchType == "" {
			t.MatchType = MatchFirstWord
		}
		if t.MatchType != MatchFirstWord && t.MatchType != MatchOnlyWord {
			return invalid("match_type: must be first_word or only_word")
		}
	} else if len(t.Keywords) > 0 {
		return invalid("keywords: only keyword triggers have keywords")
	}
	for _, g := range append(append([]string{}, t.GroupUUIDs...), t.ExcludeGroups...) {
		if w.Group(g) == nil {
			return invalid("groups: no such group: %s", g)
		}
	}
	if t.ChannelUUID != "" {
		ok := false
		for _, c := range w.Channels {
			ok = ok || c.UUID == t.ChannelUUID
		}
		if !ok {
			return invalid("channel: no such channel: %s", t.ChannelUUID)
		}
	}
	if t.UUID == "" {
		t.UUID = NewUUID()
	}
	if t.CreatedOn.IsZero() {
		t.CreatedOn = r.Clock.Now()
	}
	if err := r.Store.SaveTrigger(ctx, t); err != nil {
		return err
	}
	r.Invalidate(t.WorkspaceID)
	return nil
}
