package web

import (
	"encoding/json"
	"net/http"
	"sort"
)

type outboundConfigRow struct {
	Name, Destination, Path string
	Relevance               string
	CronOrDocs              string
}

type settingsData struct {
	Pretty   string
	Outbound []outboundConfigRow
}

// chtSettingsPage shows CHT's app settings (read only: uploads stay with cht-conf) and the
// outbound push configs they hold.
func (w *Web) chtSettingsPage(rw http.ResponseWriter, r *http.Request) {
	if !chtAdmin(rw, r) {
		return
	}
	if w.cfg.Settings == nil {
		http.Error(rw, "No CHT settings on this server.", http.StatusNotFound)
		return
	}
	settings, err := w.cfg.Settings.Get(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	pretty, _ := json.MarshalIndent(settings, "", "  ")
	d := settingsData{Pretty: string(pretty)}
	if out, ok := settings["outbound"].(map[string]any); ok {
		for name, raw := range out {
			c, _ := raw.(map[string]any)
			dest, _ := c["destination"].(map[string]any)
			row := outboundConfigRow{Name: name}
			row.Destination, _ = dest["base_url"].(string)
			row.Path, _ = dest["path"].(string)
			row.Relevance, _ = c["relevant_to"].(string)
			row.CronOrDocs, _ = c["cron"].(string)
			d.Outbound = append(d.Outbound, row)
		}
		sort.Slice(d.Outbound, func(i, j int) bool { return d.Outbound[i].Name < d.Outbound[j].Name })
	}
	w.render(rw, r, "cht_settings.html", "App settings", "cht", d)
}
