package api

import (
	"net/http"
	"strings"

	"careflow/runtime"
)

// GET definitions.json exports the named flows and campaigns (flow=, campaign=, repeatable)
// as an export file; dependencies=none|flows|all (default all) says what comes with them.
func getDefinitions(c *call) error {
	deps := c.param("dependencies")
	if deps == "" {
		deps = runtime.ExportDepsAll
	}
	if deps != runtime.ExportDepsNone && deps != runtime.ExportDepsFlows && deps != runtime.ExportDepsAll {
		return errDetail(http.StatusBadRequest, "dependencies must be one of none, flows, all")
	}
	q := c.r.URL.Query()
	flows := []string{}
	for _, v := range q["flow"] {
		v = strings.TrimSpace(v)
		if !isUUID(v) {
			return errDetail(http.StatusBadRequest, "Param 'flow': "+v+" is not a valid UUID.")
		}
		flows = append(flows, strings.ToLower(v))
	}
	if len(flows) > 100 {
		return errDetail(http.StatusBadRequest, "Param 'flow' can have a maximum of 100 values.")
	}
	campaigns := []string{}
	for _, v := range q["campaign"] {
		v = strings.TrimSpace(v)
		if !isUUID(v) {
			return errDetail(http.StatusBadRequest, "Param 'campaign': "+v+" is not a valid UUID.")
		}
		campaigns = append(campaigns, strings.ToLower(v))
	}
	if len(campaigns) > 100 {
		return errDetail(http.StatusBadRequest, "Param 'campaign' can have a maximum of 100 values.")
	}
	file, err := c.api.Runtime.Export(c.ctx(), c.ws.ID, flows, campaigns, deps, c.api.baseURL(c.r))
	if err != nil {
		return err
	}
	if len(flows) == 0 && len(campaigns) == 0 {
		// Nothing asked for: RapidPro answers with every list empty.
		file.Triggers, file.Fields, file.Groups = file.Triggers[:0], file.Fields[:0], file.Groups[:0]
	}
	return c.ok(http.StatusOK, file)
}
