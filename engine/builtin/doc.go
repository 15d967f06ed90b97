// Package builtin registers every built-in engine type (actions, routers, triggers, resumes)
// with the engine. Import it for its side effects wherever sessions are started or resumed:
//
//	import _ "careflow/engine/builtin"
package builtin

import (
	// register the types
	_ "careflow/engine/action"
	_ "careflow/engine/resume"
	_ "careflow/engine/router"
	_ "careflow/engine/trigger"
)
