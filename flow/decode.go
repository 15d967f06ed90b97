package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
)

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// decodeNode reads one node: its own fields first ("unable to read node: ..."), then its router
// and its actions, whose errors are not wrapped by the node (as in the reference engine).
func decodeNode(data []byte) (*Node, error) {
	var e struct {
		UUID    NodeUUID          `json:"uuid"`
		Actions []json.RawMessage `json:"actions"`
		Router  json.RawMessage   `json:"router"`
		Exits   []*Exit           `json:"exits"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("unable to read node: %w", err)
	}
	c := &checker{}
	c.uuid("uuid", string(e.UUID), true)
	if e.Exits == nil {
		c.fail("exits", "is required")
	} else {
		c.minItems("exits", len(e.Exits), 1)
	}
	for i, x := range e.Exits {
		if x == nil {
			c.fail(idx("exits", i), "is required")
			continue
		}
		c.uuid(idx("exits", i)+".uuid", string(x.UUID), true)
		c.uuid(idx("exits", i)+".destination_uuid", string(x.DestinationUUID), false)
	}
	if err := c.err(); err != nil {
		return nil, fmt.Errorf("unable to read node: %w", err)
	}

	n := &Node{UUID: e.UUID, Exits: e.Exits}
	if !isNull(e.Router) {
		r, err := decodeRouter(e.Router)
		if err != nil {
			return nil, fmt.Errorf("unable to read router: %w", err)
		}
		n.Router = r
	}
	if len(e.Actions) > 0 {
		n.Actions = make([]Action, len(e.Actions))
	}
	for i, raw := range e.Actions {
		a, err := ReadAction(raw)
		if err != nil {
			return nil, fmt.Errorf("unable to read action[%d]: %w", i, err)
		}
		n.Actions[i] = a
	}
	return n, nil
}

// decodeRouter reads a router of either type with its categories and wait.
func decodeRouter(data []byte) (*Router, error) {
	var e struct {
		Type       string            `json:"type"`
		Wait       json.RawMessage   `json:"wait"`
		ResultName string            `json:"result_name"`
		Categories []json.RawMessage `json:"categories"`
		Operand    string            `json:"operand"`
		Cases      []*Case           `json:"cases"`
		Default    CategoryUUID      `json:"default_category_uuid"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	switch e.Type {
	case "":
		return nil, fmt.Errorf("field 'type' is required")
	case RouterSwitch, RouterRandom:
	default:
		return nil, fmt.Errorf("unknown type: '%s'", e.Type)
	}
	c := &checker{}
	checkResultName(c, "result_name", e.ResultName, false)
	if e.Categories == nil {
		c.fail("categories", "is required")
	} else {
		c.minItems("categories", len(e.Categories), 1)
	}
	if e.Type == RouterSwitch {
		c.reqLen("operand", e.Operand, 10000)
		c.uuid("default_category_uuid", string(e.Default), false)
	}
	if err := c.err(); err != nil {
		return nil, err
	}

	r := &Router{Type: e.Type, ResultName: e.ResultName, Categories: make([]*Category, len(e.Categories))}
	for i, raw := range e.Categories {
		cat, err := decodeCategory(raw)
		if err != nil {
			return nil, fmt.Errorf("unable to read category: %w", err)
		}
		r.Categories[i] = cat
	}
	if e.Type == RouterSwitch {
		r.Operand, r.Cases, r.DefaultCategoryUUID = e.Operand, e.Cases, e.Default
		for i, cs := range r.Cases {
			if cs == nil {
				return nil, fmt.Errorf("field 'cases[%d]' is required", i)
			}
		}
	}
	if !isNull(e.Wait) {
		w, err := decodeWait(e.Wait)
		if err != nil {
			return nil, fmt.Errorf("unable to read wait: %w", err)
		}
		r.Wait = w
	}
	return r, nil
}

func decodeCategory(data []byte) (*Category, error) {
	cat := &Category{}
	if !isNull(data) {
		if err := json.Unmarshal(data, cat); err != nil {
			return nil, err
		}
	}
	c := &checker{}
	c.uuid("uuid", string(cat.UUID), true)
	switch {
	case cat.Name == "":
		c.fail("name", "is required")
	case len([]rune(cat.Name)) > 64:
		c.fail("name", "is not a valid result category")
	}
	c.uuid("exit_uuid", string(cat.ExitUUID), true)
	return cat, c.err()
}

// decodeWait reads a msg or dial wait with its timeout and hint.
func decodeWait(data []byte) (*Wait, error) {
	var e struct {
		Type             string          `json:"type"`
		Timeout          *Timeout        `json:"timeout"`
		Hint             json.RawMessage `json:"hint"`
		Phone            string          `json:"phone"`
		DialLimitSeconds int             `json:"dial_limit_seconds"`
		CallLimitSeconds int             `json:"call_limit_seconds"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	switch e.Type {
	case "":
		return nil, fmt.Errorf("field 'type' is required")
	case WaitMsg, WaitDial:
	default:
		return nil, fmt.Errorf("unknown type: '%s'", e.Type)
	}
	c := &checker{}
	if e.Timeout != nil {
		c.required("timeout.seconds", e.Timeout.Seconds != 0)
		c.uuid("timeout.category_uuid", string(e.Timeout.CategoryUUID), true)
	}
	if e.Type == WaitDial {
		c.reqLen("phone", e.Phone, 1000)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	w := &Wait{Type: e.Type, Timeout: e.Timeout}
	if e.Type == WaitDial {
		w.Phone, w.DialLimitSeconds, w.CallLimitSeconds = e.Phone, e.DialLimitSeconds, e.CallLimitSeconds
	} else if !isNull(e.Hint) {
		h := &Hint{}
		if err := json.Unmarshal(e.Hint, h); err != nil {
			return nil, fmt.Errorf("unable to read hint: %w", err)
		}
		switch h.Type {
		case "":
			return nil, fmt.Errorf("unable to read hint: field 'type' is required")
		case HintImage, HintAudio, HintVideo, HintLocation:
			h.Count, h.TerminatedBy = nil, ""
		case HintDigits:
			if len([]rune(h.TerminatedBy)) > 8 {
				return nil, fmt.Errorf("unable to read hint: field 'terminated_by' must be less than or equal to 8")
			}
		default:
			return nil, fmt.Errorf("unable to read hint: unknown type: '%s'", h.Type)
		}
		w.Hint = h
	}
	return w, nil
}
