package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

func init() {
	// Every case passes; nothing is allowed to fail.
	registerSuite("cht-records", "conformance/cht/records_cases.json", 0, runCHTRecords)
}

type recordsCase struct {
	Name        string          `json:"name"`
	AppSettings json.RawMessage `json:"app_settings"`
	Request     struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"request"`
	ExpectStatus   int             `json:"expect_status"`
	ExpectResponse json.RawMessage `json:"expect_response"`
	ExpectDoc      json.RawMessage `json:"expect_doc"`
}

// runCHTRecords posts each case's record over HTTP to a fresh in-process server (as the first
// admin, with the case's app settings) and checks the status, the answer and the stored
// data_record: member order at the top level, values everywhere.
func runCHTRecords(ctx context.Context, path string, _ []string, out io.Writer) (int, int, error) {
	var cases []recordsCase
	if err := readJSONFile(path, &cases); err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "cht-records", out)
	for _, c := range cases {
		if err := r.check(c.Name, func() []string { return problem(runRecordsCase(ctx, c)) }); err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

func runRecordsCase(ctx context.Context, c recordsCase) string {
	cs, err := startCHTCaseServer(ctx, c.AppSettings)
	if err != nil {
		return err.Error()
	}
	defer cs.close()
	before := time.Now().UnixMilli()
	status, body, err := cs.do(c.Request.Method, c.Request.Path, c.Request.Headers, c.Request.Body, "admin", cs.admin)
	after := time.Now().UnixMilli()
	if err != nil {
		return err.Error()
	}
	if status != c.ExpectStatus {
		return fmt.Sprintf("status %d, want %d (body %s)", status, c.ExpectStatus, body)
	}
	var want map[string]any
	json.Unmarshal(c.ExpectResponse, &want)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Sprintf("answer is not JSON: %s", body)
	}
	id, _ := got["id"].(string)
	if want["id"] == "<generated uuid>" {
		if id == "" {
			return fmt.Sprintf("answer has no id: %s", body)
		}
		want["id"] = id
	}
	wantBody, _ := json.Marshal(want)
	if !jsonEqual(body, wantBody) {
		return fmt.Sprintf("answer\n  got  %s\n  want %s", compactJSON(body), wantBody)
	}
	if c.ExpectDoc == nil {
		return ""
	}
	docBody, err := cs.asAdmin("GET", "/medic/"+id, nil)
	if err != nil {
		return "read record: " + err.Error()
	}
	var doc map[string]any
	json.Unmarshal(docBody, &doc)
	delete(doc, "_id")
	delete(doc, "_rev")
	var expect map[string]any
	json.Unmarshal(c.ExpectDoc, &expect)
	if expect["reported_date"] == "<now: ms since epoch>" {
		rd, _ := doc["reported_date"].(float64)
		if int64(rd) < before || int64(rd) > after {
			return fmt.Sprintf("reported_date %v is not the time of the request (%d..%d)", doc["reported_date"], before, after)
		}
		expect["reported_date"] = doc["reported_date"]
	}
	gotDoc, _ := json.Marshal(doc)
	wantDoc, _ := json.Marshal(expect)
	if !jsonEqual(gotDoc, wantDoc) {
		return fmt.Sprintf("record\n  got  %s\n  want %s", gotDoc, wantDoc)
	}
	gotKeys := slices.DeleteFunc(topLevelKeys(docBody), func(k string) bool { return k == "_id" || k == "_rev" })
	if wantKeys := topLevelKeys(c.ExpectDoc); !slices.Equal(gotKeys, wantKeys) {
		return fmt.Sprintf("member order %v, want %v", gotKeys, wantKeys)
	}
	return ""
}
