package services

import (
	"errors"
	"strings"
	"testing"
)

func TestNoAirtime(t *testing.T) {
	t.Parallel()
	_, err := NoAirtime{}.Transfer("tel:+250788000001", "tel:+250788000002", nil)
	if !errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), "airtime transfers are not configured") {
		t.Errorf("got %v", err)
	}
	if !errors.Is(ErrNoClassifier, ErrNotConfigured) {
		t.Error("ErrNoClassifier should match ErrNotConfigured")
	}
}
