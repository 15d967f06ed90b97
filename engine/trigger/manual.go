package trigger

import "careflow/engine"

// TypeManual is a session started by a user or the API.
const TypeManual = "manual"

func init() { engine.RegisterTrigger(TypeManual, &engine.TriggerType{}) }
