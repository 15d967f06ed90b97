package flow

// Node is one step of a flow: its actions run in order, then its router (if any) picks a
// category whose exit leads on; without a router the first exit is taken.
type Node struct {
	UUID    NodeUUID `json:"uuid"`
	Actions []Action `json:"actions,omitempty"`
	Router  *Router  `json:"router,omitempty"`
	Exits   []*Exit  `json:"exits"`
}

// Exit leads from a node to another node of the same flow. An empty DestinationUUID leaves the
// flow (the run completes).
type Exit struct {
	UUID            ExitUUID `json:"uuid"`
	DestinationUUID NodeUUID `json:"destination_uuid,omitempty"`
}

// Exit returns the node's exit with the given UUID, or nil.
func (n *Node) Exit(uuid ExitUUID) *Exit {
	for _, e := range n.Exits {
		if e.UUID == uuid {
			return e
		}
	}
	return nil
}
