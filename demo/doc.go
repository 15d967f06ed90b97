// Package demo loads the seed's whole workflow into a careflow: the CHT side (app settings
// with the form a CHW's report uses, the JSON form the flows write back to, a district →
// health centre → CHW area with patients, the Gateway user RapidPro calls CHT as, and the
// outbound push config "textit-self-quarantine" as the seed writes it, pointed at this
// careflow) and the messaging side (the flows of self_quarantine.json with their keyword
// triggers, the 14-day check-in campaign, the globals the flows read, and an API token kept as
// the credential the push sends). Everything goes through careflow's own HTTP APIs and import,
// as a person setting the system up would; the files here are the data.
package demo

import "embed"

//go:embed self_quarantine.json cht/app_settings.json cht/contacts.json cht/covid_trace_follow_up.xml
var files embed.FS
