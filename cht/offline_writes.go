package cht

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
)

// OfflineWrites returns the check an offline user's synced documents pass (POST
// /medic/_bulk_docs from the CHT app): as CHT's authorization does for replication, a user
// writes only within their own place — reports whose submitting contact is in it, and
// contacts below it — never design documents or anything about another place.
func (u *Users) OfflineWrites(ctx context.Context, caller *User) (func(id string, doc json.RawMessage) error, error) {
	scope, err := u.ownScope(ctx, caller)
	if err != nil {
		return nil, err
	}
	within := func(chain []string) bool {
		for _, id := range chain {
			if slices.Contains(scope.FacilityIDs, id) || (scope.ContactID != "" && id == scope.ContactID) {
				return true
			}
		}
		return false
	}
	forbidden := &CouchError{Status: http.StatusForbidden, Code: "forbidden", Reason: "Insufficient privileges"}
	return func(id string, doc json.RawMessage) error {
		if len(id) >= 8 && id[:8] == "_design/" {
			return forbidden
		}
		var d struct {
			Type    string          `json:"type"`
			Contact json.RawMessage `json:"contact"`
			Parent  json.RawMessage `json:"parent"`
		}
		if json.Unmarshal(doc, &d) != nil {
			return forbidden
		}
		switch d.Type {
		case "data_record":
			if within(contactChain(d.Contact)) {
				return nil
			}
		case "form", "translations", "resources", "user-settings":
			return forbidden
		default:
			// A contact: the user's own place and contact, or anything below their place.
			if slices.Contains(scope.FacilityIDs, id) || id == scope.ContactID || within(contactChain(d.Parent)) {
				return nil
			}
		}
		return forbidden
	}, nil
}
