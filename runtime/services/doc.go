// Package services implements the outside-world services the flow engine calls: webhooks
// (call_webhook, call_resthook), email (send_email) and LLMs (call_llm), plus explicit
// "not configured" answers for airtime and classifiers.
//
// The engine describes each call as its own value (engine.WebhookRequest, an LLM asset and
// prompt, an email) and this package turns it into network I/O, so engine/ stays pure. The
// runtime builds these per workspace: each constructor is cheap, and the expensive parts
// (HTTP connection pools) are shared between workspaces with the same network policy.
//
// This package may import engine and the standard library; it must not import store, the
// runtime's handlers or anything under cmd/, so the runtime can wire it without cycles.
package services
