package expr

// node is a parsed expression.
type node interface {
	// source returns the expression text the node was parsed from.
	source() string
}

type (
	textLit struct {
		src string
		val string
	}
	numberLit struct{ src string }
	boolLit   struct {
		src string
		val bool
	}
	nullLit struct{ src string }
	nameRef struct {
		src  string
		name string
	}
	dotLookup struct {
		src       string
		container node
		key       string
	}
	indexLookup struct {
		src       string
		container node
		index     node
	}
	call struct {
		src  string
		fn   node
		args []node
	}
	negate struct {
		src     string
		operand node
	}
	binary struct {
		src  string
		op   tokenKind
		l, r node
	}
	lambda struct {
		src    string
		params []string
		body   node
	}
)

func (n *textLit) source() string     { return n.src }
func (n *numberLit) source() string   { return n.src }
func (n *boolLit) source() string     { return n.src }
func (n *nullLit) source() string     { return n.src }
func (n *nameRef) source() string     { return n.src }
func (n *dotLookup) source() string   { return n.src }
func (n *indexLookup) source() string { return n.src }
func (n *call) source() string        { return n.src }
func (n *negate) source() string      { return n.src }
func (n *binary) source() string      { return n.src }
func (n *lambda) source() string      { return n.src }
