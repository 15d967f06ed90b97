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
	t.Run("OutboundBatch", func(t *testing.T) { testOutboundBatch(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("Workspaces", func(t *testing.T) { testWorkspaces(t, open) })
	t.Run("Flows", func(t *testing.T) { testFlows(t, open) })
	t.Run("Assets", func(t *testing.T) { testAssets(t, open) })
	t.Run("Contacts", func(t *testing.T) { testContacts(t, open) })
	t.Run("ContactRace", func(t *testing.T) { testContactRace(t, open) })
	t.Run("FindContacts", func(t *testing.T) { testFindContacts(t, open) })
	t.Run("Receive", func(t *testing.T) { testReceive(t, open) })
	t.Run("ClaimContacts", func(t *testing.T) { testClaimContacts(t, open) })
	t.Run("ClaimExclusive", func(t *testing.T) { testClaimExclusive(t, open) })
	t.Run("CommitScenes", func(t *testing.T) { testCommitScenes(t, open) })
	t.Run("CommitSomeFail", func(t *testing.T) { testCommitSomeFail(t, open) })
	t.Run("LeaseLost", func(t *testing.T) { testLeaseLost(t, open) })
	t.Run("Runs", func(t *testing.T) { testRuns(t, open) })
	t.Run("Fires", func(t *testing.T) { testFires(t, open) })
	t.Run("FiresOnce", func(t *testing.T) { testFiresOnce(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("OutboxExclusive", func(t *testing.T) { testOutboxExclusive(t, open) })
	t.Run("HTTPLogsAndMsgQueries", func(t *testing.T) { testHTTPLogsAndMsgQueries(t, open) })
	t.Run("Starts", func(t *testing.T) { testStarts(t, open) })
	t.Run("Broadcasts", func(t *testing.T) { testBroadcasts(t, open) })
	t.Run("UUIDColumns", func(t *testing.T) { testUUIDColumns(t, open) })
	t.Run("Idempotency", func(t *testing.T) { testIdempotency(t, open) })
	t.Run("GroupOfCreates", func(t *testing.T) { testGroupOfCreates(t, open) })
	t.Run("API", func(t *testing.T) { testAPI(t, open) })
	t.Run("Channels", func(t *testing.T) { testChannels(t, open) })
	t.Run("GatewayRefs", func(t *testing.T) { testGatewayRefs(t, open) })
	t.Run("DocMessages", func(t *testing.T) { testDocMessages(t, open) })
	t.Run("Campaigns", func(t *testing.T) { testCampaigns(t, open) })
	t.Run("Reschedule", func(t *testing.T) { testReschedule(t, open) })
	t.Run("Resthooks", func(t *testing.T) { testResthooks(t, open) })
}

func ctx() context.Context { return context.Background() }
