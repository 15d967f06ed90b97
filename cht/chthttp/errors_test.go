package chthttp

import (
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"careflow/cht"
)

func TestWantsJSON(t *testing.T) {
	cases := []struct {
		name, accept string
		want         bool
	}{
		{"NoAcceptIsText", "", false},
		{"AnythingIsText", "*/*", false},
		{"JSONAsked", "application/json", true},
		{"JSONWithCharset", "application/json; charset=utf-8", true},
		{"JSONBeforeAnything", "application/json, */*", true},
		{"TextFirstAtEqualQuality", "text/plain, application/json", false},
		{"JSONPreferredByQuality", "text/plain;q=0.5, application/json", true},
		{"ApplicationWildcardIsJSON", "application/*", true},
		{"HTMLOnlyIsNotJSON", "text/html", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			if got := wantsJSON(r); got != tc.want {
				t.Fatalf("wantsJSON(%q) = %v", tc.accept, got)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cases := []struct {
		name   string
		err    error
		json   bool
		status int
		body   string
	}{
		{"PublicErrorJSON", &cht.Error{Status: 500, Message: "Missing _meta property.", Details: "Missing _meta property."}, true, 500,
			`{"code":500,"error":"Server error","details":"Missing _meta property."}` + "\n"},
		{"PublicErrorText", &cht.Error{Status: 500, Message: "x", Details: "Form not found: X"}, false, 500, `Server error: "Form not found: X"`},
		{"UnexpectedErrorMasked", errors.New("disk on fire"), true, 500, `{"code":500,"error":"Server error"}` + "\n"},
		{"ForbiddenText", cht.ErrInsufficientPrivileges, false, 403, "Insufficient privileges"},
		{"FirewallAlwaysJSON", cht.ErrOfflineUser, false, 403,
			`{"code":403,"error":"forbidden","details":"Offline users are not allowed access to this endpoint"}` + "\n"},
		{"CouchShapeAlwaysJSON", cht.ErrNoMatches, false, 404, `{"error":"not_found","reason":"no matches found"}` + "\n"},
		{"InvalidSettingsIs400", &cht.InvalidSettingsError{Msg: "bad outbound"}, true, 400, `{"code":400,"error":"bad outbound"}` + "\n"},
		{"TranslatedUserError", &cht.Error{Status: 400, Message: "m", Translation: &cht.Translation{Message: "m", Key: "k"}}, true, 400,
			`{"code":400,"error":{"message":"m","translationKey":"k"}}` + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.json {
				r.Header.Set("Accept", "application/json")
			}
			w := httptest.NewRecorder()
			writeError(w, r, log, tc.err)
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Fatalf("got %d %q, want %d %q", w.Code, w.Body.String(), tc.status, tc.body)
			}
		})
	}
}
