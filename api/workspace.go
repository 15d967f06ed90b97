package api

import "net/http"

// GET workspace.json (and its deprecated name org.json): the caller's workspace.
func getWorkspace(c *call) error {
	langs := c.ws.Languages
	if langs == nil {
		langs = []string{}
	}
	var country, primary any
	if c.ws.Country != "" {
		country = c.ws.Country
	}
	if len(langs) > 0 {
		primary = langs[0]
	}
	style := map[string]string{"MM-DD-YYYY": "month_first", "YYYY-MM-DD": "year_first"}[c.ws.DateFormat]
	if style == "" {
		style = "day_first"
	}
	return c.ok(http.StatusOK, map[string]any{
		"uuid":             c.ws.UUID,
		"name":             c.ws.Name,
		"country":          country,
		"languages":        langs,
		"timezone":         c.ws.Timezone,
		"date_style":       style,
		"anon":             false,
		"credits":          map[string]int{"used": -1, "remaining": -1},
		"primary_language": primary,
	})
}
