package services

import (
	"context"
	"time"
)

// HTTPLog describes one outgoing webhook or resthook call, as mailroom records it in
// request_logs_httplog (log_type webhook_called). Request and Response are raw dumps trimmed
// to 10,000 characters; the sizes are the untrimmed lengths.
type HTTPLog struct {
	URL          string
	Method       string
	StatusCode   int // 0 when no response was received
	Request      string
	Response     string
	RequestSize  int
	ResponseSize int
	ElapsedMS    int
	Retries      int
	// IsError is set for anything but a complete 2xx response, matching mailroom, which logs
	// webhook calls whose status is not success as errors.
	IsError bool
	// Blocked is set when the policy refused the host; no connection was made.
	Blocked   bool
	CreatedOn time.Time
	// FlowUUID is the flow given to Webhooks.Bind, empty when unknown.
	FlowUUID string
}

// CallLog receives a record of every webhook call. Implementations must be safe for
// concurrent use and should not block for long: LogHTTP runs inside the sprint, after the
// call, and any failure to record is the implementation's to report (it returns nothing so a
// logging problem can never change what the flow sees).
type CallLog interface {
	LogHTTP(ctx context.Context, l *HTTPLog)
}

// NopCallLog discards every record, for tests and tools that keep no logs.
type NopCallLog struct{}

// LogHTTP does nothing.
func (NopCallLog) LogHTTP(context.Context, *HTTPLog) {}

var _ CallLog = NopCallLog{}
