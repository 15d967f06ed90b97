package flow

// UUID identifies a flow.
type UUID string

// NodeUUID identifies a node within a flow.
type NodeUUID string

// ExitUUID identifies a node exit.
type ExitUUID string

// ActionUUID identifies an action.
type ActionUUID string

// CategoryUUID identifies a router category.
type CategoryUUID string

// CaseUUID identifies a switch router case.
type CaseUUID string

// isUUID reports whether s is a 36-character hyphenated hex UUID (any version, either case),
// which is what the reference engine's validator accepts.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
