// Package storetest is the one suite every store backend must pass. A backend's test calls
// Run with a function that opens a fresh, empty, migrated store for each subtest.
package storetest

import (
	"context"
	"testing"

	"careflow/store"
)

// Opener returns a new empty store for one test; the backend registers its cleanup on t.
type Opener func(t *testing.T) store.Store

// Run exercises every area of the store contract.
func Run(t *testing.T, open Opener) {
	t.Run("Docs", func(t *testing.T) { testDocs(t, open) })
	t.Run("Refs", func(t *testing.T) { testRefs(t, open) })
	t.Run("DocChanges", func(t *testing.T) { testDocChanges(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, open) })
	t.Run("Credentials", func(t *testing.T) { testCredentials(t, open) })
	t.Run("Outbound", func(t *testing.T) { testOutbound(t, open) })
	t.Run("Campaigns", func(t *testing.T) { testCampaigns(t, open) })
}

func ctx() context.Context { return context.Background() }
