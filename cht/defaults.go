package cht

import (
	"crypto/rand"
	"encoding/json"
)

// RandomPassword returns a fresh 20-character password mixing letters, digits and symbols.
func RandomPassword() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("cht: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// DefaultSettings are what a new careflow starts with: CHT's default roles and permissions
// and the English locale, as CHT's own fresh install has.
func DefaultSettings() []byte {
	b, _ := json.Marshal(map[string]any{"locale": "en", "roles": DefaultRoles(), "permissions": DefaultPermissions()})
	return b
}
