// Package ingest is Cairn's Segment/RudderStack-compatible collection API.
// Handler serves the SDK routes (/v1/batch, /v1/track, /v1/t, ...): it
// authenticates the write key, reads and gunzips the body within a size cap,
// parses it with event.Parse, stamps each event with its source, and hands
// events and rejections to the Committer. The Committer group-commits
// concurrent requests into one Log.Append, so a request is answered only
// once its events are durable, and durability costs one fsync per group
// instead of one per request. docs/ingest.md describes the wire contract as
// implemented.
package ingest
