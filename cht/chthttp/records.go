package chthttp

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"careflow/cht"
	"careflow/internal/jsonbody"
	"careflow/store"
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
	return func(w http.ResponseWriter, r *http.Request, u *cht.User) error {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		// The body is read (bounded, checked) once: the idempotency key is matched against it
		// before anything is written.
		var body []byte
		var err error
		switch mt {
		case "application/json":
			body, err = a.readJSON(r, jsonbody.Limits{})
		case "application/x-www-form-urlencoded":
			body, err = a.readText(r, 0)
		default:
			return &cht.Error{Status: http.StatusUnsupportedMediaType, Message: "Content-Type must be application/json or application/x-www-form-urlencoded, not " + strconv.Quote(mt)}
		}
		if err != nil {
			return err
		}
		claim, done, err := a.beginIdempotent(w, r, "cht-records:"+u.Name, body)
		if err != nil || done {
			return err
		}
		if claim != nil {
			r = r.WithContext(cht.WithIdempotency(r.Context(), func(id string) *store.Idempotency {
				b, _ := jsonBody(recordCreated{Success: true, ID: id})
				return claim.Record(http.StatusOK, jsonContentType, b)
			}))
		}
		var id string
		if mt == "application/json" {
			id, err = a.Records.CreateJSON(r.Context(), body)
		} else {
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
		}
		if errors.Is(err, store.ErrReplay) {
			return claim.Replay(w, r)
		}
		if err != nil {
			return err
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
