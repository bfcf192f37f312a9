// Package e2e holds Cairn's end-to-end tests. TestMain builds the real cairn
// binary once; each test starts it as a separate process on a fresh data
// folder and a free loopback port, and talks to it only the way users do:
// the collection API through unmodified official Segment and RudderStack SDKs
// (Go, and Node through ../sdk-node), the management API with the admin
// token, the CLI, and the files of the data folder once the server stopped.
//
// What is covered: identify/track/page/group/alias through four SDKs and the
// merged profile they build (TestGoSDKs, TestNodeSDKs); no acknowledged event
// lost or duplicated across kill -9 (TestKillMidLoad); state kept across a
// graceful restart and the data folder lock (TestRestartKeepsState,
// TestDataFolderLock); erasure that survives late events and a rebuild and
// leaves no byte of the person in the data folder (TestEraseThroughBinary).
//
// Run with `go test -race ./test/e2e`; `-short` skips the package. The Node
// test needs `npm ci` in test/sdk-node (make test does it) and skips without
// it unless CAIRN_REQUIRE_NODE=1. CAIRN_E2E_RACE=1 also builds the server
// binary with the race detector (slower).
package e2e
