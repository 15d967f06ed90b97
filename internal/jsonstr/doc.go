// Package jsonstr writes and reads JSON strings without reflection, for the hand-written JSON
// code in engine (sessions and contacts, written like encoding/json) and cht/outbound (documents,
// written like JavaScript's JSON.stringify).
//
// Append quotes a string in one of two escaping styles; Unquote reads one back, decoding
// escapes and surrogate pairs. Neither allocates beyond the bytes it appends or the string it
// returns.
package jsonstr
