package chthttp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"

	"careflow/cht"
)

// compressibleTypes is CouchDB's default [attachments] compressible_types, which CHT's
// /api/couch-config-attachments reports and cht-conf reads to decide how it hashes uploaded
// attachments.
const compressibleTypes = "text/*, application/javascript, application/json, application/xml"

func (a *API) registerForms(mux *http.ServeMux) {
	configure := access{online: true, perms: []string{"can_configure"}}
	mux.HandleFunc("POST /api/v1/forms/validate", a.route(configure, a.validateForm))
	mux.HandleFunc("GET /api/couch-config-attachments", a.route(access{admin: true}, a.getCouchConfigAttachments))
}

// validateForm checks an XForm before cht-conf uploads it, answering {"ok":true} or a 400
// {"error":…}. CHT runs the form through its Enketo transformer; careflow renders no forms,
// so it checks what it can without one: the body is well-formed XML whose root is an XForm's
// html element with a model.
func (a *API) validateForm(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	body, err := a.readText(r, 0)
	if err != nil {
		return err
	}
	if err := checkXForm(body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Error validating form: " + err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func checkXForm(body []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var root string
	model := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "model" {
				model = true
			}
		}
	}
	switch {
	case root == "":
		return errors.New("empty document")
	case root != "html":
		return errors.New("the root element is <" + root + ">, not <h:html>")
	case !model:
		return errors.New("no <model> element")
	}
	return nil
}

// getCouchConfigAttachments answers CHT's view of CouchDB's [attachments] configuration.
func (a *API) getCouchConfigAttachments(w http.ResponseWriter, r *http.Request, _ *cht.User) error {
	writeJSON(w, http.StatusOK, map[string]string{"compressible_types": compressibleTypes, "compression_level": "8"})
	return nil
}
