package web

import (
	"errors"
	"net/http"
	"strings"

	"careflow/cht/outbound"
)

type dryRunData struct {
	Config, DocIDs, Type, Form string
	Results                    []outbound.DryRunResult
	Error                      string
	Ran                        bool
}

// chtDryRunPage asks what an outbound config would send for some documents (by id, or the
// stored documents of a type or form), sending nothing.
func (w *Web) chtDryRunPage(rw http.ResponseWriter, r *http.Request) {
	if !chtAdmin(rw, r) {
		return
	}
	if w.cfg.DryRun == nil {
		http.Error(rw, "Outbound push is not running on this server.", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	d := dryRunData{Config: q.Get("config"), DocIDs: q.Get("doc_ids"), Type: q.Get("type"), Form: q.Get("form")}
	if d.Config != "" {
		req := outbound.DryRun{Config: d.Config, Type: d.Type, Form: d.Form, Limit: 50}
		for _, id := range strings.FieldsFunc(d.DocIDs, func(c rune) bool { return c == ',' || c == ' ' }) {
			req.DocIDs = append(req.DocIDs, id)
		}
		res, err := w.cfg.DryRun(r.Context(), req)
		var bad *outbound.InputError
		switch {
		case errors.Is(err, outbound.ErrUnknownConfig):
			rw.WriteHeader(http.StatusBadRequest)
			d.Error = "There is no outbound config named " + d.Config + "."
		case errors.As(err, &bad):
			rw.WriteHeader(http.StatusBadRequest)
			d.Error = bad.Error()
		case err != nil:
			w.serverError(rw, r, err)
			return
		default:
			d.Results, d.Ran = res, true
		}
	}
	w.render(rw, r, "cht_dryrun.html", "Outbound dry run", "cht", d)
}
