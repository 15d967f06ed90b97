package flow

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// checker collects field-level problems in the reference engine's wording
// ("field 'groups[0].name' must be less than or equal to 64") and joins them with ", ".
type checker struct {
	problems []string
}

func (c *checker) fail(field, problem string) {
	c.problems = append(c.problems, fmt.Sprintf("field '%s' %s", field, problem))
}

// required fails when ok is false.
func (c *checker) required(field string, ok bool) {
	if !ok {
		c.fail(field, "is required")
	}
}

// maxLen fails when s has more than n characters.
func (c *checker) maxLen(field, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		c.fail(field, fmt.Sprintf("must be less than or equal to %d", n))
	}
}

// reqLen is required plus maxLen.
func (c *checker) reqLen(field, s string, n int) {
	if s == "" {
		c.fail(field, "is required")
		return
	}
	c.maxLen(field, s, n)
}

// maxItems fails when a list has more than n items.
func (c *checker) maxItems(field string, count, n int) {
	if count > n {
		c.fail(field, fmt.Sprintf("must have a maximum of %d items", n))
	}
}

// minItems fails when a list has fewer than n items.
func (c *checker) minItems(field string, count, n int) {
	if count < n {
		c.fail(field, fmt.Sprintf("must have a minimum of %d items", n))
	}
}

// uuid fails when s is not a UUID; an empty s is only a problem when required.
func (c *checker) uuid(field, s string, required bool) {
	if s == "" {
		if required {
			c.fail(field, "is required")
		}
		return
	}
	if !isUUID(s) {
		c.fail(field, "must be a valid UUID")
	}
}

// maxEach applies maxLen to every item of a list.
func (c *checker) maxEach(field string, items []string, n int) {
	for i, s := range items {
		c.maxLen(fmt.Sprintf("%s[%d]", field, i), s, n)
	}
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(c.problems, ", "))
}

func idx(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
