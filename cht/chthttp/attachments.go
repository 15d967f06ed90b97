package chthttp

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"careflow/cht"
	"careflow/store"
)

// Inline attachments, as cht-conf uploads forms, resources, privacy policies and extension
// libraries: PouchDB PUTs a document whose _attachments carry base64 "data", reads it back
// with stubs, and fetches each attachment's bytes from GET /medic/{id}/{name}. careflow keeps
// the data inside the document's fields (under _attachments, with CouchDB's digest, length and
// revpos) and renders stubs unless ?attachments=true asks for the data, as CouchDB does.

// attachment is one _attachments entry as stored: CouchDB's stub members plus the data.
type attachment struct {
	ContentType string `json:"content_type"`
	RevPos      int    `json:"revpos"`
	Digest      string `json:"digest"`
	Length      int    `json:"length"`
	Stub        bool   `json:"stub,omitempty"`
	Data        string `json:"data,omitempty"`
}

var errMissingStub = &cht.CouchError{Status: http.StatusPreconditionFailed, Code: "missing_stub", Reason: "Invalid attachment stub"}

// withAttachments resolves the _attachments of a write: new data gets its digest, length and
// revpos (the revision this write creates); a stub keeps the stored attachment of the
// revision it names, which must be the current one.
func (a *API) withAttachments(ctx context.Context, dw store.DocWrite) (store.DocWrite, error) {
	if !bytes.Contains(dw.Fields, []byte(`"_attachments"`)) {
		return dw, nil
	}
	members, err := store.ObjectMembers(dw.Fields)
	if err != nil {
		return dw, errBadJSON
	}
	revpos := 1
	if i := strings.IndexByte(dw.Rev, '-'); i > 0 {
		n, _ := strconv.Atoi(dw.Rev[:i])
		revpos = n + 1
	}
	var stored map[string]attachment
	for i, m := range members {
		if m.Key != "_attachments" {
			continue
		}
		var atts map[string]attachment
		if err := json.Unmarshal(m.Value, &atts); err != nil {
			return dw, &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "_attachments must be an object of attachments"}
		}
		for name, att := range atts {
			if att.Stub {
				if stored == nil {
					stored = a.storedAttachments(ctx, dw.ID, dw.Rev)
				}
				old, ok := stored[name]
				if !ok {
					return dw, errMissingStub
				}
				atts[name] = old
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(att.Data)
			if err != nil {
				return dw, &cht.CouchError{Status: http.StatusBadRequest, Code: "bad_request", Reason: "Invalid attachment data for " + name}
			}
			sum := md5.Sum(raw)
			if att.ContentType == "" {
				att.ContentType = "application/octet-stream"
			}
			atts[name] = attachment{ContentType: att.ContentType, RevPos: revpos, Length: len(raw),
				Digest: "md5-" + base64.StdEncoding.EncodeToString(sum[:]), Data: att.Data}
		}
		members[i].Value, _ = json.Marshal(atts)
	}
	dw.Fields = joinMembers(members)
	return dw, nil
}

// storedAttachments returns the attachments of document id at revision rev (none when rev is
// not the current revision: the stub then fails as missing).
func (a *API) storedAttachments(ctx context.Context, id, rev string) map[string]attachment {
	d, err := a.Docs.Get(ctx, id)
	if err != nil || d.Rev != rev {
		return map[string]attachment{}
	}
	return docAttachments(d.Fields)
}

func docAttachments(fields json.RawMessage) map[string]attachment {
	var doc struct {
		Attachments map[string]attachment `json:"_attachments"`
	}
	json.Unmarshal(fields, &doc)
	if doc.Attachments == nil {
		return map[string]attachment{}
	}
	return doc.Attachments
}

// docJSON renders a document as CouchDB answers it: attachments as stubs unless withData.
func docJSON(d store.Doc, withData bool) json.RawMessage {
	if !bytes.Contains(d.Fields, []byte(`"_attachments"`)) {
		return d.JSON()
	}
	members, err := store.ObjectMembers(d.Fields)
	if err != nil {
		return d.JSON()
	}
	for i, m := range members {
		if m.Key != "_attachments" {
			continue
		}
		var atts map[string]attachment
		if json.Unmarshal(m.Value, &atts) != nil {
			continue
		}
		for name, att := range atts {
			if withData {
				att.Length = 0
			} else {
				att.Stub, att.Data = true, ""
			}
			atts[name] = att
		}
		members[i].Value, _ = json.Marshal(atts)
	}
	d.Fields = joinMembers(members)
	return d.JSON()
}

func joinMembers(members []store.Member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.Value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// getAttachment answers one attachment's bytes with its content type; ?rev= must name the
// current revision when given. A design or local document's id holds a slash, so
// /medic/_design/x is that document rather than attachment x of "_design".
func (a *API) getAttachment(w http.ResponseWriter, r *http.Request, u *cht.User) error {
	id, name := r.PathValue("id"), r.PathValue("att")
	if id == "_design" || id == "_local" {
		if doc, att, ok := strings.Cut(name, "/"); ok {
			id, name = id+"/"+doc, att
		} else {
			r.SetPathValue("id", id+"/"+name)
			return a.getDoc(w, r, u)
		}
	}
	d, err := a.Docs.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errDocMissing
	}
	if err != nil {
		return err
	}
	if rev := r.URL.Query().Get("rev"); rev != "" && rev != d.Rev {
		return errDocMissing
	}
	att, ok := docAttachments(d.Fields)[name]
	if !ok {
		return &cht.CouchError{Status: http.StatusNotFound, Code: "not_found", Reason: "Document is missing attachment"}
	}
	raw, err := base64.StdEncoding.DecodeString(att.Data)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", att.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.Header().Set("ETag", strconv.Quote(strings.TrimPrefix(att.Digest, "md5-")))
	w.Write(raw)
	return nil
}
