package cht

// The permissions and roles CHT ships in its default configuration (config/default/app_settings.json
// of cht-core). PUT settings fills in any permission the new settings lack from
// defaultPermissions, as CHT does; defaultRoles seed the settings of a new careflow so that the
// default permissions mean something (a role absent from app_settings.roles grants nothing).

const (
	roleChw            = "chw"
	roleChwSupervisor  = "chw_supervisor"
	roleProgramOfficer = "program_officer"
	roleGateway        = "gateway"
	roleCrfo           = "crfo"
	roleAnalytics      = "analytics"
	roleDataEntry      = "data_entry"
	roleNationalAdmin  = "national_admin"
)

// fieldWorkers is the set most permissions of CHT's default configuration are granted to.
var fieldWorkers = []string{roleProgramOfficer, roleChwSupervisor, roleChw}

var defaultPermissions = map[string][]string{
	"can_access_gateway_api":            {roleGateway},
	"can_aggregate_targets":             {roleChwSupervisor},
	"can_bulk_delete_reports":           fieldWorkers,
	"can_configure":                     {roleProgramOfficer, roleCrfo},
	"can_create_people":                 fieldWorkers,
	"can_create_places":                 fieldWorkers,
	"can_create_records":                {roleDataEntry, roleGateway, roleProgramOfficer, roleChwSupervisor, roleChw},
	"can_create_users":                  {roleProgramOfficer},
	"can_delete_contacts":               fieldWorkers,
	"can_delete_messages":               fieldWorkers,
	"can_delete_reports":                fieldWorkers,
	"can_delete_users":                  {roleProgramOfficer},
	"can_edit":                          {roleGateway, roleProgramOfficer, roleChwSupervisor, roleChw},
	"can_edit_profile":                  fieldWorkers,
	"can_edit_verification":             fieldWorkers,
	"can_export_all":                    {roleProgramOfficer, roleCrfo},
	"can_export_contacts":               fieldWorkers,
	"can_export_dhis":                   {roleNationalAdmin, roleCrfo},
	"can_export_feedback":               {roleProgramOfficer},
	"can_export_messages":               {roleAnalytics, roleProgramOfficer, roleChwSupervisor, roleChw},
	"can_log_out_on_android":            {},
	"can_update_places":                 fieldWorkers,
	"can_update_reports":                fieldWorkers,
	"can_update_users":                  {roleProgramOfficer},
	"can_upgrade":                       {roleProgramOfficer},
	"can_verify_reports":                fieldWorkers,
	"can_view_analytics":                {roleAnalytics, roleProgramOfficer, roleChwSupervisor, roleChw},
	"can_view_analytics_tab":            fieldWorkers,
	"can_view_call_action":              fieldWorkers,
	"can_view_contacts":                 fieldWorkers,
	"can_view_contacts_tab":             fieldWorkers,
	"can_view_last_visited_date":        {},
	"can_view_message_action":           fieldWorkers,
	"can_view_messages":                 fieldWorkers,
	"can_view_messages_tab":             fieldWorkers,
	"can_view_old_filter_and_search":    {},
	"can_view_outgoing_messages":        {roleProgramOfficer},
	"can_view_reports":                  fieldWorkers,
	"can_view_reports_tab":              fieldWorkers,
	"can_view_tasks":                    {roleChwSupervisor, roleChw},
	"can_view_tasks_group":              {roleChw},
	"can_view_tasks_tab":                {roleChwSupervisor, roleChw},
	"can_view_uhc_stats":                {},
	"can_view_unallocated_data_records": {roleGateway, roleProgramOfficer, roleChwSupervisor, roleChw},
	"can_view_users":                    {roleProgramOfficer},
	"can_write_wealth_quintiles":        {},
}

// defaultRoles are the user roles of CHT's default configuration: key, label translation key,
// and whether the role is offline (syncs data to the device rather than using the API).
var defaultRoles = []struct {
	key     string
	label   string
	offline bool
}{
	{roleDataEntry, "usertype.data-entry", false},
	{roleAnalytics, "usertype.analytics", false},
	{roleGateway, "usertype.gateway", false},
	{roleProgramOfficer, "usertype.program-officer", false},
	{roleCrfo, "usertype.crfo", false},
	{roleChwSupervisor, "usertype.chw-supervisor", true},
	{roleChw, "usertype.chw", true},
}

// DefaultPermissions returns a fresh copy of CHT's default permissions, as settings JSON.
func DefaultPermissions() map[string]any {
	out := make(map[string]any, len(defaultPermissions))
	for p, roles := range defaultPermissions {
		list := make([]any, len(roles))
		for i, r := range roles {
			list[i] = r
		}
		out[p] = list
	}
	return out
}

// DefaultRoles returns a fresh copy of CHT's default roles, as settings JSON.
func DefaultRoles() map[string]any {
	out := make(map[string]any, len(defaultRoles))
	for _, r := range defaultRoles {
		role := map[string]any{"name": r.label}
		if r.offline {
			role["offline"] = true
		}
		out[r.key] = role
	}
	return out
}

// FillPermissions adds every default permission missing from settings.permissions (inserting
// the whole default set when permissions is absent or not an object). It is the settings
// filler CHT's PUT settings applies.
func FillPermissions(settings map[string]any) {
	perms, ok := settings["permissions"].(map[string]any)
	if !ok {
		settings["permissions"] = DefaultPermissions()
		return
	}
	for p, v := range DefaultPermissions() {
		if _, has := perms[p]; !has {
			perms[p] = v
		}
	}
}
