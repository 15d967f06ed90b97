package channel

// Redactor exposes redactor to the external tests.
var Redactor = redactor
