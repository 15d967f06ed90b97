package web

import (
	"errors"
	"io"
	"net/http"
)

// readBody reads a request body of at most limit bytes.
func readBody(rw http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errors.New("the request body is too large")
	}
	if err != nil {
		return nil, errors.New("the request body could not be read")
	}
	if len(data) == 0 {
		return nil, errors.New("the request body is empty")
	}
	return data, nil
}

// readAllLimit reads an uploaded file of at most limit bytes.
func readAllLimit(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, errors.New("the file could not be read")
	}
	if int64(len(data)) > limit {
		return nil, errors.New("the file is too large")
	}
	return data, nil
}
