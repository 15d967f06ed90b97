package cht

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// DefaultPasswordIterations is the PBKDF2-SHA256 work factor for new password hashes
// (OWASP's current recommendation). Verified credentials are cached in memory, so per-request
// Basic auth does not pay it again.
const DefaultPasswordIterations = 600_000

const (
	hashScheme   = "pbkdf2-sha256"
	saltBytes    = 16
	derivedBytes = 32
	// minPasswordLength and minPasswordScore are CHT's user-creation thresholds.
	minPasswordLength = 8
	minPasswordScore  = 50
)

// HashPassword derives a storable hash of password: "pbkdf2-sha256$iterations$salt$key",
// salt and key in unpadded base64. The iteration count travels with the hash, so it can be
// raised later without invalidating existing passwords.
func HashPassword(password string, iterations int) (string, error) {
	if iterations <= 0 {
		iterations = DefaultPasswordIterations
	}
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, derivedBytes)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	enc := base64.RawStdEncoding
	return strings.Join([]string{hashScheme, strconv.Itoa(iterations), enc.EncodeToString(salt), enc.EncodeToString(key)}, "$"), nil
}

// VerifyPassword reports whether password matches hash (in constant time for the comparison).
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != hashScheme {
		return false, errors.New("unknown password hash format")
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations <= 0 {
		return false, errors.New("bad iteration count in password hash")
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false, errors.New("bad encoding in password hash")
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iterations, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// passwordScore rates a password from 0 to 100: four points per distinct character plus ten
// per character class beyond the first (lower case, upper case, digits, others). CHT refuses
// passwords scoring under 50 with a "too easy to guess" error; this is careflow's own measure
// with the same threshold and the same advice (mix character types).
func passwordScore(p string) int {
	distinct := map[rune]bool{}
	var lower, upper, digit, other bool
	for _, r := range p {
		distinct[r] = true
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, c := range []bool{lower, upper, digit, other} {
		if c {
			classes++
		}
	}
	score := 4 * len(distinct)
	if classes > 1 {
		score += 10 * (classes - 1)
	}
	return min(score, 100)
}
