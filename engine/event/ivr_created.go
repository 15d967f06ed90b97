package event

// TypeIVRCreated is emitted when a voice flow says or plays something.
const TypeIVRCreated = "ivr_created"

// IVRCreated is emitted when a voice flow says or plays something.
type IVRCreated struct {
	Base
	Msg *MsgOut `json:"msg"`
}

// NewIVRCreated builds the event.
func NewIVRCreated(m *MsgOut) *IVRCreated { return &IVRCreated{Base: base(TypeIVRCreated), Msg: m} }

func init() { register(TypeIVRCreated, func() Event { return &IVRCreated{} }) }
