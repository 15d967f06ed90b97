package migrate

// Template paths of the spec versions that template-rewriting migrations read: 13.3.0 rewrites
// the templates of 13.2.0 definitions and 13.6.1 those of 13.6.0 definitions. These are facts of
// the flow spec (which fields were evaluated in those versions).

var routerTemplatePaths = []string{".operand", ".cases[*].arguments[*]", ".wait.phone"}

var actionTemplatePaths13 = map[string][]string{
	"add_contact_groups":    {".groups[*].name_match"},
	"add_contact_urn":       {".path"},
	"add_input_labels":      {".labels[*].name_match"},
	"call_classifier":       {".input"},
	"call_resthook":         {},
	"call_webhook":          {".body", ".headers.*", ".url"},
	"enter_flow":            {},
	"open_ticket":           {".assignee.email", ".body"},
	"play_audio":            {".audio_url"},
	"remove_contact_groups": {".groups[*].name_match"},
	"request_optin":         {},
	"say_msg":               {".text"},
	"send_broadcast":        {".attachments[*]", ".contact_query", ".groups[*].name_match", ".legacy_vars[*]", ".quick_replies[*]", ".text"},
	"send_email":            {".addresses[*]", ".body", ".subject"},
	"set_contact_channel":   {},
	"set_contact_field":     {".value"},
	"set_contact_language":  {".language"},
	"set_contact_name":      {".name"},
	"set_contact_status":    {},
	"set_contact_timezone":  {".timezone"},
	"set_run_result":        {".value"},
	"start_session":         {".contact_query", ".groups[*].name_match", ".legacy_vars[*]"},
	"transfer_airtime":      {},
}

// catalog13_2_0: send_msg still had its templating object with variables and component params.
var catalog13_2_0 = catalog{
	actions: withAction(actionTemplatePaths13, "send_msg",
		".attachments[*]", ".quick_replies[*]", ".templating.components[*].params[*]", ".templating.variables[*]", ".text"),
	routers: routerTemplatePaths,
}

// catalog13_6_0: send_msg has template_variables instead.
var catalog13_6_0 = catalog{
	actions: withAction(actionTemplatePaths13, "send_msg",
		".attachments[*]", ".quick_replies[*]", ".template_variables[*]", ".text"),
	routers: routerTemplatePaths,
}

func withAction(base map[string][]string, typ string, paths ...string) map[string][]string {
	m := make(map[string][]string, len(base)+1)
	for k, v := range base {
		m[k] = v
	}
	m[typ] = paths
	return m
}
