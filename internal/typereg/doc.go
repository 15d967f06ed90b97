// Package typereg keeps a family of types (events, flow actions) by their wire type name and
// reads a JSON object as the registered type that its "type" member names.
package typereg
