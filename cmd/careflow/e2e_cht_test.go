package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"careflow/cht"
	"careflow/store"
	"careflow/store/storetest"
)

// storeAll selects every live document.
var storeAll = store.DocQuery{}

// e2eStep is one request to the running server and what must come back. A step that is
// refused (4xx/5xx) must also change nothing: the documents, settings and users are compared
// before and after it.
type e2eStep struct {
	name     string
	method   string
	path     string
	user     string // "", "admin", "gateway", "offline", "wrong"
	headers  map[string]string
	body     string
	status   int
	wantBody string // exact JSON when it starts with { or [, else a substring of the body
	wantHdr  map[string]string
	check    func(t *testing.T, cs *chtServer, body []byte)
}

const gatewayPassword = "Tq9!vRapid-Pro-2026"

var jsonAccept = map[string]string{"Accept": "application/json"}

func jsonHeaders() map[string]string {
	return map[string]string{"Accept": "application/json", "Content-Type": "application/json"}
}

// TestCHTEndToEnd runs the real server over HTTP, on SQLite and on PostgreSQL, through the
// CHT surface a RapidPro integration and cht-conf use: auth and its refusals, settings,
// users, records, contacts, contacts-by-phone, credentials and the /medic endpoints.
func TestCHTEndToEnd(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			db := ""
			if backend == "postgres" {
				db = storetest.PostgresSchemaDSN(t)
			}
			cs, err := startCHTServerOn(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer cs.close()
			if err := cs.addUser(context.Background(), "offline", "offline-Pa55word", []string{"chw"}); err != nil {
				t.Fatal(err)
			}
			for _, st := range e2eSteps() {
				runE2EStep(t, cs, st)
			}
		})
	}
}

func runE2EStep(t *testing.T, cs *chtServer, st e2eStep) {
	t.Helper()
	user, password := "", ""
	switch st.user {
	case "admin":
		user, password = "admin", cs.admin
	case "gateway":
		user, password = "rapidpro", gatewayPassword
	case "offline":
		user, password = "offline", "offline-Pa55word"
	case "wrong":
		user, password = "admin", "not-the-password"
	}
	before := snapshot(t, cs)
	var body []byte
	if st.body != "" {
		body = []byte(st.body)
	}
	req, _ := http.NewRequest(st.method, cs.base+st.path, strings.NewReader(string(body)))
	for k, v := range st.headers {
		req.Header.Set(k, v)
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", st.name, err)
	}
	got := readAll(resp)
	if resp.StatusCode != st.status {
		t.Fatalf("%s: status %d, want %d; body %s", st.name, resp.StatusCode, st.status, got)
	}
	switch {
	case st.wantBody == "":
	case strings.HasPrefix(st.wantBody, "{") || strings.HasPrefix(st.wantBody, "["):
		if !jsonEqual(got, []byte(st.wantBody)) {
			t.Fatalf("%s: body\n got  %s\n want %s", st.name, got, st.wantBody)
		}
	default:
		if !strings.Contains(string(got), st.wantBody) {
			t.Fatalf("%s: body %q does not contain %q", st.name, got, st.wantBody)
		}
	}
	for k, v := range st.wantHdr {
		if h := resp.Header.Get(k); !strings.Contains(h, v) {
			t.Fatalf("%s: header %s = %q, want it to contain %q", st.name, k, h, v)
		}
	}
	if st.status >= 400 {
		if after := snapshot(t, cs); after != before {
			t.Fatalf("%s: a refused request changed the data:\n before %s\n after  %s", st.name, before, after)
		}
	}
	if st.check != nil {
		st.check(t, cs, got)
	}
}

// snapshot summarises what a request could change: every document, the settings, the users.
func snapshot(t *testing.T, cs *chtServer) string {
	t.Helper()
	ctx := context.Background()
	docs, err := cs.srv.Store.FindDocs(ctx, storeAll)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(d.ID + "@" + d.Rev + ";")
	}
	raw, _ := cs.srv.Settings.Raw(ctx)
	b.Write(raw)
	users, _ := cs.srv.Store.ListUsers(ctx)
	for _, u := range users {
		b.WriteString(";" + u.Name + "@" + u.Rev)
	}
	keys, _ := cs.srv.Store.ListCredentialKeys(ctx)
	b.WriteString(";" + strings.Join(keys, ","))
	return b.String()
}

func e2eSteps() []e2eStep {
	form := `{"forms":{"RPRESULT":{"meta":{"code":"RPRESULT"},"fields":{"patient_id":{"type":"string","required":true,"labels":{"tiny":"pid"}},"outcome":{"type":"string","required":true,"labels":{"tiny":"out"}},"visit_count":{"type":"integer","labels":{"tiny":"vc"}}}}},"default_country_code":254}`
	return []e2eStep{
		// Unauthenticated requests, in CHT's three forms.
		{name: "NoCredentialsJSONClientGets401", method: "GET", path: "/api/v1/contacts-by-phone?phone=1", headers: jsonAccept,
			status: 401, wantBody: `{"code":401,"error":"unauthorized"}`, wantHdr: map[string]string{"logout-authorization": "CHT-Core API"}},
		{name: "NoCredentialsBrowserIsRedirected", method: "POST", path: "/api/v2/records", headers: map[string]string{"User-Agent": "curl/8"},
			status: 302, wantHdr: map[string]string{"Location": "/medic/login?redirect=%2Fapi%2Fv2%2Frecords"}},
		{name: "NoCredentialsNoUserAgentGetsPrompt", method: "POST", path: "/api/v2/records", headers: map[string]string{"User-Agent": ""},
			status: 401, wantBody: "not logged in", wantHdr: map[string]string{"WWW-Authenticate": `Basic realm="Medic Web Services"`}},
		{name: "SettingsAlwaysPrompt", method: "GET", path: "/api/v1/settings", headers: jsonAccept,
			status: 401, wantBody: "not logged in", wantHdr: map[string]string{"WWW-Authenticate": "Basic"}},
		{name: "WrongPasswordIsUnauthenticated", method: "GET", path: "/api/v1/settings/deprecated-transitions", user: "wrong", headers: jsonAccept,
			status: 401, wantBody: "not logged in"},

		// Settings.
		{name: "SettingsRejectNonJSONContentType", method: "PUT", path: "/api/v1/settings", user: "admin",
			headers: map[string]string{"Accept": "application/json", "Content-Type": "text/plain"}, body: form,
			status: 400, wantBody: `{"code":400,"error":"Content-Type must be application/json"}`},
		{name: "SettingsRejectNonObject", method: "PUT", path: "/api/v1/settings", user: "admin", headers: jsonHeaders(), body: `[1,2]`,
			status: 400, wantBody: "settings must be a JSON object"},
		{name: "SettingsRejectMalformedJSON", method: "PUT", path: "/api/v1/settings", user: "admin", headers: jsonHeaders(), body: `{"a":`,
			status: 400, wantBody: "settings must be a JSON object"},
		{name: "SettingsDeepMerge", method: "PUT", path: "/api/v1/settings", user: "admin", headers: jsonHeaders(), body: form,
			status: 200, wantBody: `{"success":true,"updated":true}`},
		{name: "SettingsSameAgainNotUpdated", method: "PUT", path: "/api/v1/settings", user: "admin", headers: jsonHeaders(), body: form,
			status: 200, wantBody: `{"success":true,"updated":false}`},
		{name: "LegacyUpdateSettingsReplace", method: "PUT", path: "/medic/_design/medic/_rewrite/update_settings/medic?replace=1", user: "admin",
			headers: jsonHeaders(), body: `{"locale_outgoing":"sw"}`, status: 200, wantBody: `{"success":true,"updated":true}`},
		{name: "SettingsKeepDefaultsAndForms", method: "GET", path: "/api/v1/settings", user: "admin", status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				var s map[string]any
				json.Unmarshal(body, &s)
				perms, _ := s["permissions"].(map[string]any)
				if s["locale_outgoing"] != "sw" || s["forms"] == nil || perms["can_access_gateway_api"] == nil {
					t.Fatalf("settings after merges: %s", body)
				}
			}},
		{name: "LegacyAppSettingsPath", method: "GET", path: "/medic/_design/medic/_rewrite/app_settings/medic/default_country_code", user: "admin",
			status: 200, wantBody: `{"settings":254,"meta":{},"schema":{}}`},
		{name: "DeprecatedTransitions", method: "GET", path: "/api/v1/settings/deprecated-transitions", user: "admin", status: 200, wantBody: `[]`},
		{name: "DeployInfo", method: "GET", path: "/api/deploy-info", user: "admin", status: 200, wantBody: `"version":"5.2.0"`},

		// Users.
		{name: "UserMissingFields", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(), body: `{"roles":["gateway"]}`,
			status: 400, wantBody: `{"code":400,"error":{"message":"Missing required fields: username, password","translationKey":"fields.required","translationParams":{"fields":"username, password"}}}`},
		{name: "UserInvalidName", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(), body: `{"username":"Rapid Pro","password":"` + gatewayPassword + `","roles":["gateway"]}`,
			status: 400, wantBody: `"translationKey":"username.invalid"`},
		{name: "UserShortPassword", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(), body: `{"username":"rapidpro","password":"short","roles":["gateway"]}`,
			status: 400, wantBody: `"translationKey":"password.length.minimum"`},
		{name: "UserWeakPassword", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(), body: `{"username":"rapidpro","password":"aaaaaaaaaa","roles":["gateway"]}`,
			status: 400, wantBody: `"translationKey":"password.weak"`},
		{name: "UserStrictContentType", method: "POST", path: "/api/v1/users", user: "admin", headers: map[string]string{"Content-Type": "text/plain"}, body: `{}`,
			status: 400, wantBody: "Content-Type must be application/json"},
		{name: "UserCreatedGateway", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(),
			body: `{"username":"rapidpro","password":"` + gatewayPassword + `","roles":["gateway"],"fullname":"RapidPro integration"}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				if !strings.Contains(string(body), `"user":{"id":"org.couchdb.user:rapidpro"`) || !strings.Contains(string(body), `"user-settings"`) {
					t.Fatalf("user creation answered %s", body)
				}
				u, err := cs.srv.Store.GetUser(context.Background(), "rapidpro")
				if err != nil || strings.Join(u.Roles, ",") != "gateway,mm-online" || strings.Contains(u.PasswordHash, gatewayPassword) {
					t.Fatalf("stored user %+v %v", u, err)
				}
			}},
		{name: "UserNameTaken", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(), body: `{"username":"rapidpro","password":"` + gatewayPassword + `","roles":["gateway"]}`,
			status: 400, wantBody: `{"code":400,"error":{"message":"Username \"rapidpro\" already taken.","translationKey":"username.taken","translationParams":{"username":"rapidpro"}}}`},
		{name: "UsersArrayReportsEach", method: "POST", path: "/api/v1/users", user: "admin", headers: jsonHeaders(),
			body: `[{"username":"rapidpro","password":"` + gatewayPassword + `","roles":["gateway"]},{"username":"second","roles":["gateway"]}]`, status: 200,
			wantBody: `[{"error":{"message":"Username \"rapidpro\" already taken.","translationKey":"username.taken","translationParams":{"username":"rapidpro"}}},{"error":"Missing required fields: password"}]`},
		{name: "GatewayCannotCreateUsers", method: "POST", path: "/api/v1/users", user: "gateway", headers: jsonHeaders(), body: `{"username":"x"}`,
			status: 403, wantBody: `{"code":403,"error":"Insufficient privileges"}`},
		{name: "GatewayCannotChangeSettings", method: "PUT", path: "/api/v1/settings", user: "gateway", headers: jsonHeaders(), body: `{"x":1}`,
			status: 403, wantBody: `{"code":403,"error":"Insufficient privileges"}`},
		{name: "AdminListsUsers", method: "GET", path: "/api/v1/users", user: "admin", status: 200, wantBody: `"username":"rapidpro"`},

		// Sessions.
		{name: "SessionWrongPassword", method: "POST", path: "/_session", headers: jsonHeaders(), body: `{"name":"rapidpro","password":"nope"}`,
			status: 401, wantBody: `{"error":"unauthorized","reason":"Name or password is incorrect."}`},
		{name: "SessionLogin", method: "POST", path: "/_session", headers: jsonHeaders(), body: `{"name":"rapidpro","password":"` + gatewayPassword + `"}`,
			status: 200, wantBody: `{"ok":true,"name":"rapidpro","roles":["gateway","mm-online"]}`,
			wantHdr: map[string]string{"Set-Cookie": "Expires="},
			check: func(t *testing.T, cs *chtServer, _ []byte) {
				req, _ := http.NewRequest("POST", cs.base+"/_session", strings.NewReader("name=rapidpro&password="+gatewayPassword))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				readAll(resp)
				cookie := resp.Header.Get("Set-Cookie")
				for _, part := range []string{"AuthSession=", "Version=1", "Max-Age=31536000", "Path=/", "HttpOnly", "Expires="} {
					if !strings.Contains(cookie, part) {
						t.Fatalf("cookie %q lacks %q", cookie, part)
					}
				}
				token := strings.TrimPrefix(strings.Split(cookie, ";")[0], "AuthSession=")
				req, _ = http.NewRequest("GET", cs.base+"/_session", nil)
				req.AddCookie(&http.Cookie{Name: "AuthSession", Value: token})
				resp, err = http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got := readAll(resp)
				if !jsonEqual(got, []byte(`{"ok":true,"userCtx":{"name":"rapidpro","roles":["gateway","mm-online"]},"info":{"authentication_handlers":["cookie","default"],"authenticated":"cookie"}}`)) {
					t.Fatalf("GET /_session with the cookie: %s", got)
				}
				req, _ = http.NewRequest("GET", cs.base+"/_session", nil)
				req.AddCookie(&http.Cookie{Name: "AuthSession", Value: token + "x"})
				resp, _ = http.DefaultClient.Do(req)
				if got := readAll(resp); !strings.Contains(string(got), `"name":null`) {
					t.Fatalf("a forged cookie authenticated: %s", got)
				}
			}},

		// Records.
		{name: "RecordJSON", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(),
			body: `{"_meta":{"form":"rpresult","from":"0712345678"},"patient_id":"p-1","outcome":"ok","visit_count":"2","extra":true}`, status: 200,
			check: checkRecord(`{"type":"data_record","from":"+254712345678","form":"RPRESULT","errors":[{"code":"sys.incorrect_type","message":"Incorrect type of field visit_count, expected integer."}],"tasks":[],"fields":{"patient_id":"p-1","outcome":"ok","visit_count":"2"},"sms_message":{"form":"RPRESULT","from":"0712345678"}}`)},
		{name: "RecordFormEncodedTextforms", method: "POST", path: "/api/v1/records?locale=fr", user: "gateway",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
			body:    "message=RPRESULT+pid+p-9+%23+out+good+%23+vc+3&from=%2B254712000999&sent_timestamp=1777629600000", status: 200,
			check: checkRecord(`{"type":"data_record","from":"+254712000999","form":"RPRESULT","errors":[],"tasks":[],"fields":{"patient_id":"p-9","outcome":"good","visit_count":3},"reported_date":1777629600000,"sms_message":{"type":"sms_message","message":"RPRESULT pid p-9 # out good # vc 3","form":"RPRESULT","reported_date":"1777629600000","locale":"fr","from":"+254712000999"}}`)},
		{name: "RecordFormEncodedMuvuku", method: "POST", path: "/api/v2/records", user: "gateway",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
			body:    "message=1!RPRESULT!p-7%23fine%234%23extra&from=%2B254712000999", status: 200,
			check: checkRecord(`{"type":"data_record","from":"+254712000999","form":"RPRESULT","errors":[{"code":"extra_fields","message":"Extra fields."}],"tasks":[],"fields":{"patient_id":"p-7","outcome":"fine","visit_count":4},"sms_message":{"type":"sms_message","message":"1!RPRESULT!p-7#fine#4#extra","form":"RPRESULT","from":"+254712000999"}}`)},
		{name: "RecordFormEncodedNeedsFrom", method: "POST", path: "/api/v2/records", user: "gateway",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, body: "message=hi",
			status: 500, wantBody: `{"code":500,"error":"Server error","details":"Missing required value: from"}`},
		{name: "RecordMissingMetaText", method: "POST", path: "/api/v2/records", user: "gateway", headers: map[string]string{"Content-Type": "application/json"}, body: `{"a":1}`,
			status: 500, wantBody: `Server error: "Missing _meta property."`},
		{name: "RecordUnknownForm", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(), body: `{"_meta":{"form":"nope"}}`,
			status: 500, wantBody: `{"code":500,"error":"Server error","details":"Form not found: NOPE"}`},
		{name: "RecordMalformedJSON", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(), body: `{"_meta":`,
			status: 400, wantBody: `{"code":400,"error":"malformed JSON body: unexpected end of JSON where a value was expected at offset 9"}`},
		{name: "RecordUnsupportedContentType", method: "POST", path: "/api/v2/records", user: "gateway",
			headers: map[string]string{"Content-Type": "text/xml", "Accept": "application/json"}, body: `<x/>`,
			status: 415, wantBody: `{"code":415,"error":"Content-Type must be application/json or application/x-www-form-urlencoded, not \"text/xml\""}`},
		{name: "OfflineUserWithPermissionMayCreateRecords", method: "POST", path: "/api/v2/records", user: "offline", headers: jsonHeaders(),
			body: `{"_meta":{"form":"RPRESULT"},"patient_id":"p","outcome":"o"}`, status: 200, wantBody: `"success":true`},

		// Contacts, places and the lineage.
		{name: "PlaceNeedsName", method: "POST", path: "/api/v1/places", user: "admin", headers: jsonHeaders(), body: `{"type":"district_hospital"}`,
			status: 400, wantBody: `{"code":400,"error":"Place is missing a \"name\" property."}`},
		{name: "PlaceNeedsKnownType", method: "POST", path: "/api/v1/places", user: "admin", headers: jsonHeaders(), body: `{"name":"X","type":"castle"}`,
			status: 400, wantBody: "is not a place"},
		{name: "HealthCenterNeedsParent", method: "POST", path: "/api/v1/places", user: "admin", headers: jsonHeaders(), body: `{"name":"HC","type":"health_center"}`,
			status: 400, wantBody: `missing a \"parent\" property`},
		{name: "PlaceWithContactCreated", method: "POST", path: "/api/v1/places", user: "admin", headers: jsonHeaders(),
			body: `{"_id":"e2e-dh","name":"District","type":"district_hospital","contact":{"_id":"e2e-boss","name":"Boss","phone":"+254722000333"}}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				got, _ := cs.asAdmin("GET", "/medic/e2e-dh", nil)
				if !strings.Contains(string(got), `"contact":{"_id":"e2e-boss","parent":{"_id":"e2e-dh"}}`) {
					t.Fatalf("place: %s", got)
				}
			}},
		{name: "HealthCenterUnderDistrict", method: "POST", path: "/api/v1/places", user: "admin", headers: jsonHeaders(),
			body: `{"_id":"e2e-hc","name":"HC","type":"health_center","parent":"e2e-dh"}`, status: 200},
		{name: "PersonWrongParentType", method: "POST", path: "/api/v1/people", user: "admin", headers: jsonHeaders(),
			body: `{"name":"Nobody","place":"e2e-boss"}`, status: 400, wantBody: "parent types"},
		{name: "PersonNeedsName", method: "POST", path: "/api/v1/people", user: "admin", headers: jsonHeaders(), body: `{"place":"e2e-hc"}`,
			status: 400, wantBody: `Person is missing a \"name\" property.`},
		{name: "PersonUnknownPlace", method: "POST", path: "/api/v1/people", user: "admin", headers: jsonHeaders(), body: `{"name":"X","place":"missing"}`,
			status: 400, wantBody: "Failed to find place"},
		{name: "PersonCreated", method: "POST", path: "/api/v1/people", user: "admin", headers: jsonHeaders(),
			body: `{"_id":"e2e-p","name":"Akinyi","phone":"+254711111111","place":"e2e-hc","reported_date":"2026-05-01T10:00:00Z"}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				got, _ := cs.asAdmin("GET", "/api/v1/person/e2e-p?with_lineage=true", nil)
				var p struct {
					ReportedDate int64 `json:"reported_date"`
					Parent       struct {
						Name   string `json:"name"`
						Parent struct {
							Name    string `json:"name"`
							Contact struct {
								Name string `json:"name"`
							} `json:"contact"`
						} `json:"parent"`
					} `json:"parent"`
				}
				json.Unmarshal(got, &p)
				if p.ReportedDate != 1777629600000 || p.Parent.Name != "HC" || p.Parent.Parent.Name != "District" || p.Parent.Parent.Contact.Name != "Boss" {
					t.Fatalf("person with lineage: %s", got)
				}
			}},
		{name: "PersonEndpointRefusesPlace", method: "GET", path: "/api/v1/person/e2e-hc", user: "admin", headers: jsonAccept,
			status: 404, wantBody: `{"code":404,"error":"Person not found"}`},
		{name: "ContactsByPhoneFindsPerson", method: "GET", path: "/api/v1/contacts-by-phone?phone=0711111111", user: "gateway", headers: jsonAccept,
			status: 200, wantBody: `"name":"District"`},
		{name: "ContactsByPhoneOfflineFirewall", method: "GET", path: "/api/v1/contacts-by-phone?phone=0711111111", user: "offline",
			status: 403, wantBody: `{"code":403,"error":"forbidden","details":"Offline users are not allowed access to this endpoint"}`},
		{name: "ContactsByPhoneNonStringPhone", method: "POST", path: "/api/v1/contacts-by-phone", user: "gateway", headers: jsonHeaders(), body: `{"phone":254711111111}`,
			status: 400, wantBody: "must be a valid phone number"},
		{name: "RecordAttachesSender", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(),
			body: `{"_meta":{"form":"RPRESULT","from":"+254711111111"},"patient_id":"p","outcome":"o"}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				doc := recordDoc(t, cs, body)
				if !strings.Contains(string(doc), `"contact":{"_id":"e2e-p","parent":{"_id":"e2e-hc","parent":{"_id":"e2e-dh"}}}`) {
					t.Fatalf("record contact: %s", doc)
				}
			}},
		// facility_reference: the record's reference (upper-cased) names a place by its rc_code
		// and the place's primary contact is attached, the unknown sender phone not mattering.
		{name: "SettingsFacilityReferenceForm", method: "PUT", path: "/api/v1/settings", user: "admin", headers: jsonHeaders(),
			body:   `{"transitions":{"update_clinics":true},"forms":{"RPFAC":{"meta":{"code":"RPFAC"},"fields":{"facility_code":{"type":"string"},"outcome":{"type":"string"}},"facility_reference":"facility_code"}}}`,
			status: 200, wantBody: `{"success":true,"updated":true}`},
		{name: "ClinicWithRCCode", method: "PUT", path: "/medic/e2e-cl", user: "admin", headers: jsonHeaders(),
			body:   `{"type":"clinic","name":"Kibera","rc_code":"Kb-07","parent":{"_id":"e2e-hc","parent":{"_id":"e2e-dh"}},"contact":{"_id":"e2e-p"}}`,
			status: 201, wantBody: `"id":"e2e-cl"`},
		{name: "RecordFacilityReference", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(),
			body: `{"_meta":{"form":"RPFAC","from":"+254799999999"},"facility_code":"kb-07","outcome":"ok"}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				doc := string(recordDoc(t, cs, body))
				for _, want := range []string{`"errors":[]`, `"refid":"KB-07","contact":{"_id":"e2e-p","parent":{"_id":"e2e-hc","parent":{"_id":"e2e-dh"}}}`} {
					if !strings.Contains(doc, want) {
						t.Fatalf("record lacks %s: %s", want, doc)
					}
				}
			}},
		{name: "RecordFacilityReferenceUnknown", method: "POST", path: "/api/v2/records", user: "gateway", headers: jsonHeaders(),
			body: `{"_meta":{"form":"RPFAC","from":"+254711111111"},"facility_code":"kb-08","outcome":"ok"}`, status: 200,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				doc := string(recordDoc(t, cs, body))
				if !strings.Contains(doc, `"errors":[{"code":"sys.facility_not_found","message":"Facility not found."}]`) || strings.Contains(doc, `"contact"`) {
					t.Fatalf("unknown reference: %s", doc)
				}
			}},

		// Credentials: admins only, text bodies, never readable.
		{name: "CredentialsGatewayRefused", method: "PUT", path: "/api/v1/credentials/rapidpro:outgoing", user: "gateway",
			headers: map[string]string{"Content-Type": "text/plain", "Accept": "application/json"}, body: "s3cret",
			status: 403, wantBody: `{"code":403,"error":"Insufficient permissions"}`},
		{name: "CredentialsOfflineFirewall", method: "PUT", path: "/api/v1/credentials/rapidpro:outgoing", user: "offline",
			headers: map[string]string{"Content-Type": "text/plain"}, body: "s3cret", status: 403, wantBody: `"error":"forbidden"`},
		{name: "CredentialsEmptyBody", method: "PUT", path: "/api/v1/credentials/rapidpro:outgoing", user: "admin",
			headers: map[string]string{"Content-Type": "text/plain", "Accept": "application/json"}, status: 400,
			wantBody: `{"code":400,"error":"Missing required request body"}`},
		{name: "CredentialsJSONBodyRefused", method: "PUT", path: "/api/v1/credentials/rapidpro:outgoing", user: "admin",
			headers: jsonHeaders(), body: `"s3cret"`, status: 400, wantBody: `{"code":400,"error":"Missing required request body"}`},
		{name: "CredentialsSet", method: "PUT", path: "/api/v1/credentials/rapidpro:outgoing", user: "admin",
			headers: map[string]string{"Content-Type": "text/plain"}, body: "Token s3cret-value", status: 200, wantBody: `{"ok":true}`,
			check: func(t *testing.T, cs *chtServer, _ []byte) {
				ctx := context.Background()
				sealed, err := cs.srv.Store.GetCredential(ctx, "rapidpro:outgoing")
				if err != nil || strings.Contains(string(sealed), "s3cret") {
					t.Fatalf("stored credential is not sealed: %q %v", sealed, err)
				}
				plain, err := cht.NewCredentials(cs.srv.Store, cs.srv.Secrets).Get(ctx, "rapidpro:outgoing")
				if err != nil || plain != "Token s3cret-value" {
					t.Fatalf("Credentials.Get = %q, %v", plain, err)
				}
			}},
		{name: "CredentialsNotReadable", method: "GET", path: "/api/v1/credentials/rapidpro:outgoing", user: "admin", status: 405},

		// CouchDB-style endpoints.
		{name: "DBInfo", method: "GET", path: "/medic/", user: "gateway", status: 200, wantBody: `"db_name":"medic"`},
		{name: "BulkDocsNeedDocs", method: "POST", path: "/medic/_bulk_docs", user: "gateway", headers: jsonHeaders(), body: `{}`,
			status: 400, wantBody: `{"error":"bad_request","reason":"POST body must include ` + "`docs`" + ` parameter."}`},
		{name: "BulkDocsMalformed", method: "POST", path: "/medic/_bulk_docs", user: "gateway", headers: jsonHeaders(), body: `{"docs":[`,
			status: 400, wantBody: `{"error":"bad_request","reason":"invalid JSON: unexpected end of JSON where a value or \"]\" was expected at offset 9"}`},
		// Offline users sync through _bulk_docs as the CHT app does; each document must be
		// within their place (this one has none), so every document is refused on its own.
		{name: "BulkDocsOfflineOutsideTheirPlace", method: "POST", path: "/medic/_bulk_docs", user: "offline", headers: jsonHeaders(),
			body:   `{"docs":[{"_id":"off-1","type":"data_record","form":"F","contact":{"_id":"someone"}},{"_id":"off-2","type":"person","name":"P"}]}`,
			status: 201, wantBody: `"error":"forbidden"`},
		{name: "BulkDocsWriteAndConflict", method: "POST", path: "/medic/_bulk_docs", user: "gateway", headers: jsonHeaders(),
			body: `{"docs":[{"_id":"bulk-1","type":"clinic","name":"C"},{"_id":"e2e-dh","name":"no rev"},{"_id":"_bad"}],"new_edits":true}`, status: 201,
			check: func(t *testing.T, cs *chtServer, body []byte) {
				var res []map[string]any
				json.Unmarshal(body, &res)
				if len(res) != 3 || res[0]["ok"] != true || res[1]["error"] != "conflict" || res[2]["error"] != "illegal_docid" {
					t.Fatalf("_bulk_docs answered %s", body)
				}
			}},
		{name: "PutDocWrongRev", method: "PUT", path: "/medic/bulk-1", user: "gateway", headers: jsonHeaders(), body: `{"_rev":"1-0","name":"x"}`,
			status: 409, wantBody: `{"error":"conflict","reason":"Document update conflict."}`},
		{name: "GetMissingDoc", method: "GET", path: "/medic/nothing-here", user: "gateway", status: 404, wantBody: `{"error":"not_found","reason":"missing"}`},
		{name: "PutNewDoc", method: "PUT", path: "/medic/put-1", user: "gateway", headers: jsonHeaders(), body: `{"type":"person","name":"Put"}`,
			status: 201, wantBody: `"id":"put-1"`},
	}
}

// checkRecord reads back the record a step created and compares it with want, ignoring _id,
// _rev and (when want has none) reported_date.
func checkRecord(want string) func(t *testing.T, cs *chtServer, body []byte) {
	return func(t *testing.T, cs *chtServer, body []byte) {
		t.Helper()
		doc := recordDoc(t, cs, body)
		var got, exp map[string]any
		json.Unmarshal(doc, &got)
		json.Unmarshal([]byte(want), &exp)
		delete(got, "_id")
		delete(got, "_rev")
		delete(got, "contact")
		if _, ok := exp["reported_date"]; !ok {
			delete(got, "reported_date")
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(exp)
		if string(g) != string(w) {
			t.Fatalf("record\n got  %s\n want %s", g, w)
		}
	}
}

func recordDoc(t *testing.T, cs *chtServer, created []byte) []byte {
	t.Helper()
	var res struct {
		Success bool   `json:"success"`
		ID      string `json:"id"`
	}
	if json.Unmarshal(created, &res) != nil || !res.Success || res.ID == "" {
		t.Fatalf("records API answered %s", created)
	}
	doc, err := cs.asAdmin("GET", "/medic/"+res.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
