package engine

import "time"

// The shapes the session and contact readers and writers repeat: an object read member by
// member, an array read or written element by element, and members that are null or a value.
// The callbacks are only called, never kept, so they cost no allocation.

// object reads an object, calling member with each key to read that key's value (keys are
// valid during the call only); the value of a key member doesn't read is skipped. Null reads
// as nothing.
func (r *jsonReader) object(member func(key []byte) error) error {
	ok, err := r.openObject()
	if err != nil || !ok {
		return err
	}
	for {
		k, more, err := r.nextKey()
		if err != nil || !more {
			return err
		}
		at := r.i
		if err := member(k); err != nil {
			return err
		}
		if r.i == at { // every value takes at least one byte: this one wasn't read
			if _, err := r.skip(); err != nil {
				return err
			}
		}
	}
}

// document reads a whole JSON text holding one object, like object.
func (r *jsonReader) document(member func(key []byte) error) error {
	if err := r.object(member); err != nil {
		return err
	}
	return r.end()
}

// array reads an array, calling elem to read each element; null reads as nothing.
func (r *jsonReader) array(elem func() error) error {
	ok, err := r.openArray()
	if err != nil || !ok {
		return err
	}
	for first := true; ; first = false {
		more, err := r.nextElem(first)
		if err != nil || !more {
			return err
		}
		if err := elem(); err != nil {
			return err
		}
	}
}

// optTime reads a time, or null as nil.
func (r *jsonReader) optTime() (*time.Time, error) {
	if r.null() {
		return nil, nil
	}
	t, err := r.time()
	return &t, err
}

// readStr reads a string as a string type (a UUID, a flow type).
func readStr[T ~string](r *jsonReader) (T, error) {
	s, err := r.str()
	return T(s), err
}

// readInt reads an integer as an int type.
func readInt[T ~int | ~int64](r *jsonReader) (T, error) {
	n, err := r.int()
	return T(n), err
}

// readNew reads a value with encoding/json into a new T (irregular members), or null as nil.
func readNew[T any](r *jsonReader) (*T, error) {
	if r.null() {
		return nil, nil
	}
	v := new(T)
	if err := r.into(v); err != nil {
		return nil, err
	}
	return v, nil
}

// array writes a member holding a JSON array of n elements, each appended by elem.
func (o *jsonObj) array(k string, n int, elem func(b []byte, i int) []byte) {
	o.key(k)
	o.b = appendArray(o.b, n, elem)
}

// appendArray appends a JSON array of n elements, each appended by elem.
func appendArray(b []byte, n int, elem func(b []byte, i int) []byte) []byte {
	b = append(b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, i)
	}
	return append(b, ']')
}
