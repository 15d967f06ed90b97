package expr

// Argument helpers shared by the function families: each converts one argument and returns
// the conversion error for the function to return.

func optText(env *Environment, args []Value, i int) (*string, *Error) {
	if i >= len(args) {
		return nil, nil
	}
	s, err := ToText(env, args[i])
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func texts(env *Environment, args []Value) ([]string, *Error) {
	out := make([]string, len(args))
	for i, a := range args {
		s, err := ToText(env, a)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func optInt(env *Environment, args []Value, i, def int) (int, *Error) {
	if i >= len(args) {
		return def, nil
	}
	return ToInteger(env, args[i])
}
