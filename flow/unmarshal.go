package flow

// UnmarshalJSON reads a flow definition of any supported version (migrating it) and validates
// it, exactly as Read does with a zero ReadConfig.
func (f *Flow) UnmarshalJSON(data []byte) error {
	read, err := Read(data)
	if err != nil {
		return err
	}
	*f = *read
	return nil
}

// UnmarshalJSON reads a node (current spec version) with its actions and router.
func (n *Node) UnmarshalJSON(data []byte) error {
	read, err := decodeNode(data)
	if err != nil {
		return err
	}
	*n = *read
	return nil
}

// UnmarshalJSON reads a router (current spec version) with its categories and wait.
func (r *Router) UnmarshalJSON(data []byte) error {
	read, err := decodeRouter(data)
	if err != nil {
		return err
	}
	*r = *read
	return nil
}

// UnmarshalJSON reads a msg or dial wait.
func (w *Wait) UnmarshalJSON(data []byte) error {
	read, err := decodeWait(data)
	if err != nil {
		return err
	}
	*w = *read
	return nil
}
