package runtime

// QueryContactIDs exposes the ID search that starts, broadcasts and smart groups use.
var QueryContactIDs = (*Runtime).queryContactIDs
