package chthttp

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"careflow/cht"
	"careflow/internal/jsonbody"
)

func (a *API) registerRecords(mux *http.ServeMux) {
	acc := access{perms: []string{"can_create_records"}}
	mux.HandleFunc("POST /api/v2/records", a.route(acc, a.postRecord(false)))
	mux.HandleFunc("POST /api/v1/records", a.route(acc, a.postRecord(true)))
}

// postRecord creates a data_record from a JSON body or an SMS-style form-encoded body (§2)
// and answers {"success":true,"id":…}; v1 also takes ?locale= for form-encoded bodies.
// Other content types are a 500, as in CHT.
func (a *API) postRecord(v1 bool) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		var id string
		switch mt {
		case "application/json":
			body, err := a.readJSON(r, jsonbody.Limits{})
			if err != nil {
				return err
			}
			id, err = a.Records.CreateJSON(r.Context(), body)
			if err != nil {
				return err
			}
		case "application/x-www-form-urlencoded":
			body, err := a.readText(r, 0)
			if err != nil {
				return err
			}
			form, perr := url.ParseQuery(string(body))
			if perr != nil {
				return &cht.Error{Status: http.StatusBadRequest, Message: "malformed form body: a %-escape is not valid"}
			}
			get := func(k string) *string {
				if vs, ok := form[k]; ok && len(vs) > 0 {
					return &vs[0]
				}
				return nil
			}
			locale := ""
			if v1 {
				locale = r.URL.Query().Get("locale")
			}
			for k, vs := range form {
				for _, v := range append(vs, k) {
					if msg := badText(v); msg != "" {
						return &cht.Error{Status: http.StatusBadRequest, Message: "Invalid form field " + strconv.Quote(shorten(k, 40)) + ": " + msg}
					}
				}
			}
			id, err = a.Records.CreateSMS(r.Context(), cht.SMS{
				Message: get("message"), From: get("from"), SentTimestamp: get("sent_timestamp"),
				Locale: get("locale"), GatewayRef: get("gateway_ref"),
			}, locale)
			if err != nil {
				return err
			}
		default:
			return &cht.Error{Status: http.StatusUnsupportedMediaType, Message: "Content-Type must be application/json or application/x-www-form-urlencoded, not " + strconv.Quote(mt)}
		}
		writeJSON(w, http.StatusOK, recordCreated{Success: true, ID: id})
		return nil
	}
}

// recordCreated is the records API's answer, members in CHT's order.
type recordCreated struct {
	Success bool   `json:"success"`
	ID      string `json:"id"`
}
