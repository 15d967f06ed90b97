package api

import (
	"errors"
	"io"
	"net/http"

	"careflow/runtime"
)

// MaxImportBytes bounds an uploaded export file.
const MaxImportBytes = 16 << 20

// POST definitions.json imports a RapidPro/TextIt export file (careflow's upload; RapidPro
// imports through its web pages only). The file is read whole before anything is written: a
// file with any bad flow is refused with 400 naming each one and why.
func postDefinitions(c *call) error {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, MaxImportBytes+1))
	if err != nil {
		return errDetail(http.StatusBadRequest, "could not read the request body")
	}
	if len(data) > MaxImportBytes {
		return errDetail(http.StatusRequestEntityTooLarge, "Export files are limited to 16 MiB.")
	}
	if d := jsonDepth(data); d > 256 {
		return errDetail(http.StatusBadRequest, "JSON parse error - nested deeper than 256 levels")
	}
	res, err := c.api.Runtime.Import(c.ctx(), c.ws.ID, data, c.user)
	var ie *runtime.ImportError
	if errors.As(err, &ie) {
		return &apiError{http.StatusBadRequest, map[string][]string{"non_field_errors": ie.Problems}}
	}
	if err != nil {
		return err
	}
	return c.ok(http.StatusOK, res)
}
