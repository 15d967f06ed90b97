package runtime

import (
	"careflow/engine"
	"careflow/store"
)

// EngineContact is a stored contact as the engine sees it in this workspace (for contact
// queries outside a sprint, such as the console's search).
func (w *Workspace) EngineContact(c *store.Contact) (*engine.Contact, error) {
	return w.engineContact(c)
}
