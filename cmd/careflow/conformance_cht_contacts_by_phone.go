package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"

	"careflow/cht"
)

func init() {
	// Every case passes; nothing is allowed to fail.
	registerSuite("cht-contacts-by-phone", "conformance/cht/contacts_by_phone_cases.json", 0, runCHTContactsByPhone)
}

type contactsByPhoneFile struct {
	Fixtures []json.RawMessage     `json:"fixtures"`
	Cases    []contactsByPhoneCase `json:"cases"`
}

type contactsByPhoneCase struct {
	Name        string          `json:"name"`
	AppSettings json.RawMessage `json:"app_settings"`
	User        *struct {
		Username string   `json:"username"`
		Roles    []string `json:"roles"`
	} `json:"user"`
	Request struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Query   map[string]string `json:"query"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"request"`
	ExpectNormalized json.RawMessage `json:"expect_normalized"`
	ExpectStatus     int             `json:"expect_status"`
	ExpectBody       json.RawMessage `json:"expect_body"`
}

// runCHTContactsByPhone loads the fixture contacts through _bulk_docs into a fresh in-process
// server per case, signs in as the case's user and checks the status and body; _rev members
// are left out of the comparison, as the fixtures omit them.
func runCHTContactsByPhone(ctx context.Context, path string, _ []string, out io.Writer) (int, int, error) {
	var f contactsByPhoneFile
	if err := readJSONFile(path, &f); err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "cht-contacts-by-phone", out)
	for _, c := range f.Cases {
		if err := r.check(c.Name, func() []string { return problem(runContactsByPhoneCase(ctx, f.Fixtures, c)) }); err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

func runContactsByPhoneCase(ctx context.Context, fixtures []json.RawMessage, c contactsByPhoneCase) string {
	if c.ExpectNormalized != nil {
		var settings map[string]any
		dec := json.NewDecoder(jsonReader(c.AppSettings))
		dec.UseNumber()
		dec.Decode(&settings)
		var want any
		json.Unmarshal(c.ExpectNormalized, &want)
		got, ok := cht.NormalizePhone(settings, c.Request.Query["phone"])
		if (want == false && ok) || (want != false && got != want) {
			return fmt.Sprintf("normalised %q, %v; want %v", got, ok, want)
		}
	}
	cs, err := startCHTCaseServer(ctx, c.AppSettings)
	if err != nil {
		return err.Error()
	}
	defer cs.close()
	if _, err := cs.asAdmin("POST", "/medic/_bulk_docs", map[string]any{"docs": fixtures}); err != nil {
		return "fixtures: " + err.Error()
	}
	user, password := "", ""
	if c.User != nil {
		user, password = c.User.Username, "conformance-Pa55word"
		if err := cs.addUser(ctx, user, password, c.User.Roles); err != nil {
			return "user: " + err.Error()
		}
	}
	target := c.Request.Path
	if len(c.Request.Query) > 0 {
		q := url.Values{}
		for k, v := range c.Request.Query {
			q.Set(k, v)
		}
		target += "?" + q.Encode()
	}
	headers := map[string]string{}
	for k, v := range c.Request.Headers {
		headers[k] = v
	}
	if c.Request.Body != nil {
		headers["Content-Type"] = "application/json"
	}
	status, body, err := cs.do(c.Request.Method, target, headers, c.Request.Body, user, password)
	if err != nil {
		return err.Error()
	}
	if status != c.ExpectStatus {
		return fmt.Sprintf("status %d, want %d (body %s)", status, c.ExpectStatus, body)
	}
	var got any
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Sprintf("answer is not JSON: %s", body)
	}
	stripRevs(got)
	gotBody, _ := json.Marshal(got)
	if !jsonEqual(gotBody, c.ExpectBody) {
		return fmt.Sprintf("body\n  got  %s\n  want %s", gotBody, compactJSON(c.ExpectBody))
	}
	return ""
}

// stripRevs removes every _rev member, at any depth.
func stripRevs(v any) {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "_rev")
		for _, x := range t {
			stripRevs(x)
		}
	case []any:
		for _, x := range t {
			stripRevs(x)
		}
	}
}
