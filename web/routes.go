package web

// routes is every page and endpoint of the web area. Editor endpoints keep RapidPro's URL
// layout (both editors hardcode some of it); asset lists live under the editor's per-workspace
// asset base, as RapidPro's /flow/assets/<org>/<ts>/ does.
var routes = []route{
	// the editors and what they call
	{pattern: "GET /flow/editor/{uuid}/", access: pageUser, handler: (*Web).editorPage},
	{pattern: "GET /flow/editor_next/{uuid}/", access: pageUser, handler: (*Web).editorNextPage},
	{pattern: "GET /flow/assets/{org}/{ts}/{kind}", access: apiUser, handler: (*Web).assetList},
	{pattern: "GET /flow/assets/{org}/{ts}/{kind}/", access: apiUser, handler: (*Web).assetList},
	{pattern: "GET /org/languages/", access: apiUser, handler: (*Web).orgLanguages},
	{pattern: "GET /mr/docs/{lang}/editor.json", access: public, handler: (*Web).editorDocs},
	{pattern: "GET /flow/revisions/{uuid}/", access: apiUser, handler: (*Web).revisionList},
	{pattern: "GET /flow/revisions/{uuid}/{id}/", access: apiUser, handler: (*Web).revisionGet},
	{pattern: "POST /flow/revisions/{uuid}/", access: apiUser, handler: (*Web).revisionSave},
	{pattern: "POST /flow/revisions/{uuid}", access: apiUser, handler: (*Web).revisionSave},
	{pattern: "GET /flow/activity/{uuid}/", access: apiUser, handler: (*Web).activity},
	{pattern: "GET /flow/recent_contacts/{uuid}/{exit}/{dest}/", access: apiUser, handler: (*Web).recentContacts},
	{pattern: "POST /flow/simulate/{uuid}/", access: apiUser, noCSRF: true, handler: (*Web).simulate},
	{pattern: "POST /flow/change_language/{uuid}/", access: apiUser, handler: (*Web).changeLanguage},
	{pattern: "POST /msg/media_upload/", access: apiUser, handler: (*Web).mediaUpload},
	{pattern: "GET /media/{name}", access: public, handler: (*Web).media},

	// the console
	{pattern: "GET /{$}", access: pageUser, handler: (*Web).homePage},
	{pattern: "GET /users/login/", access: public, handler: (*Web).loginPage},
	{pattern: "POST /users/login/", access: public, handler: (*Web).loginPost},
	{pattern: "POST /users/logout/", access: pageUser, handler: (*Web).logoutPost},
	{pattern: "GET /flow/{$}", access: pageUser, handler: (*Web).flowsPage},
	{pattern: "POST /flow/import/", access: pageUser, handler: (*Web).flowImport},
	{pattern: "GET /flow/export/{uuid}/", access: pageUser, handler: (*Web).flowExport},
	{pattern: "POST /flow/archive/{uuid}/", access: pageUser, handler: (*Web).flowArchive},
	{pattern: "GET /flow/results/{uuid}/", access: pageUser, handler: (*Web).flowResultsPage},
	{pattern: "GET /contact/{$}", access: pageUser, handler: (*Web).contactsPage},
	{pattern: "GET /contact/groups/{$}", access: pageUser, handler: (*Web).groupsPage},
	{pattern: "GET /contact/fields/{$}", access: pageUser, handler: (*Web).fieldsPage},
	{pattern: "GET /contact/read/{uuid}/", access: pageUser, handler: (*Web).contactPage},
	{pattern: "GET /msg/{$}", access: pageUser, handler: (*Web).msgsPage},
	{pattern: "GET /campaign/{$}", access: pageUser, handler: (*Web).campaignsPage},
	{pattern: "GET /channels/{$}", access: pageUser, handler: (*Web).channelsPage},
	{pattern: "GET /trigger/{$}", access: pageUser, handler: (*Web).triggersPage},
	{pattern: "GET /globals/{$}", access: pageUser, handler: (*Web).globalsPage},
	{pattern: "GET /webhooks/{$}", access: pageUser, handler: (*Web).webhooksPage},
	{pattern: "GET /cht/users/{$}", access: pageUser, handler: (*Web).chtUsersPage},
	{pattern: "GET /cht/settings/{$}", access: pageUser, handler: (*Web).chtSettingsPage},
	{pattern: "GET /cht/outbound/{$}", access: pageUser, handler: (*Web).chtOutboundPage},
	{pattern: "GET /cht/outbound/dryrun/{$}", access: pageUser, handler: (*Web).chtDryRunPage},
	{pattern: "POST /cht/outbound/requeue/", access: pageUser, handler: (*Web).chtRequeue},
}
