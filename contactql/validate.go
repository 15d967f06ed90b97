package contactql

import (
	"strconv"
	"strings"

	"careflow/expr"

	"golang.org/x/text/language"
)

// valueType returns the type a condition's values compare as, or "" when its property can't
// be resolved (an unknown field, or any field without a resolver).
func valueType(resolver Resolver, c *Condition) ValueType {
	switch c.Type {
	case PropertyAttribute:
		return attributeTypes[c.Key]
	case PropertyScheme:
		return TypeText
	}
	if resolver != nil {
		if f := resolver.ResolveField(c.Key); f != nil {
			return f.Type
		}
	}
	return ""
}

// isURNCondition reports whether a condition reads URN paths.
func isURNCondition(c *Condition) bool {
	return c.Type == PropertyScheme || (c.Type == PropertyAttribute && c.Key == AttrURN)
}

// validate checks one condition, in the reference's order so the same query gets the same
// error: redaction, the property, the operator, then the value.
func validate(env *expr.Environment, resolver Resolver, c *Condition) *Error {
	if isURNCondition(c) && redactsURNs(env) && c.Value != "" {
		return newError(ErrRedactedURNs, "cannot query on redacted URNs")
	}
	if c.Type == PropertyField && resolver == nil {
		return nil // the field's type is unknown, so there is nothing more to check
	}
	typ := valueType(resolver, c)
	if typ == "" {
		return newError(ErrUnknownProperty, "can't resolve '%s' to attribute, scheme or field", c.Key).with("property", c.Key)
	}
	switch {
	case c.Operator == OpContains:
		switch {
		case c.Type == PropertyAttribute && c.Key == AttrName:
			if len(nameTokens(c.Value)) == 0 {
				return newError(ErrInvalidPartialName, "contains operator on name requires token of minimum length %d", minNameToken).
					with("min_token_length", strconv.Itoa(minNameToken))
			}
		case isURNCondition(c):
			if len(c.Value) < minURNContain {
				return newError(ErrInvalidPartialURN, "contains operator on URN requires value of minimum length %d", minURNContain).
					with("min_value_length", strconv.Itoa(minURNContain))
			}
		default:
			return newError(ErrUnsupportedContains, "contains conditions can only be used with name or URN values").with("property", c.Key)
		}
	case c.Operator.isComparison():
		if typ != TypeNumber && typ != TypeDatetime {
			return newError(ErrUnsupportedComparison, "comparisons with %s can only be used with date and number fields", c.Operator).
				with("property", c.Key).with("operator", string(c.Operator))
		}
	}
	if (c.Operator == OpEqual || c.Operator == OpNotEqual) && c.Value == "" {
		if c.Type == PropertyAttribute {
			switch c.Key {
			case AttrUUID, AttrID, AttrRef, AttrStatus, AttrCreatedOn, AttrTickets:
				return newError(ErrUnsupportedSetCheck, "can't check whether '%s' is set or not set", c.Key).
					with("property", c.Key).with("operator", string(c.Operator))
			}
		}
		return nil
	}
	return validateValue(env, resolver, c, typ)
}

// validateValue checks that a condition's value suits its property.
func validateValue(env *expr.Environment, resolver Resolver, c *Condition, typ ValueType) *Error {
	switch typ {
	case TypeNumber:
		if _, err := parseNumber(c.Value); err != nil {
			return newError(ErrInvalidNumber, "can't convert '%s' to a number", c.Value).with("value", c.Value)
		}
	case TypeDatetime:
		if _, err := parseDate(env, c.Value); err != nil {
			return newError(ErrInvalidDate, "can't convert '%s' to a date", c.Value).with("value", c.Value)
		}
	}
	if c.Type != PropertyAttribute {
		return nil
	}
	switch c.Key {
	case AttrGroup:
		if resolver != nil && resolver.ResolveGroup(c.Value) == nil {
			return newError(ErrInvalidGroup, "'%s' is not a valid group name", c.Value).with("value", c.Value)
		}
	case AttrFlow, AttrHistory:
		if resolver != nil && resolver.ResolveFlow(c.Value) == nil {
			return newError(ErrInvalidFlow, "'%s' is not a valid flow name", c.Value).with("value", c.Value)
		}
	case AttrStatus:
		if !statuses[strings.ToLower(c.Value)] {
			return newError(ErrInvalidStatus, "'%s' is not a valid contact status", c.Value).with("value", c.Value)
		}
	case AttrLanguage:
		if !validLanguage(c.Value) {
			return newError(ErrInvalidLanguage, "'%s' is not a valid language code", c.Value).with("value", c.Value)
		}
	}
	return nil
}

// validLanguage reports whether s is a three-letter ISO 639 language code.
func validLanguage(s string) bool {
	if len(s) != 3 {
		return false
	}
	_, err := language.ParseBase(s)
	return err == nil
}
