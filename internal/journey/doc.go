// Package journey is the journey language and its deterministic runtime.
//
// A journey definition (JSON canonical, YAML accepted) is an entry, a graph
// of nodes, goals, exit criteria and settings. ParseJSON/ParseYAML decode
// and Validate checks it (errors name the node). The Engine moves one
// customer's instances through a published version: it is pure — time
// comes from the caller, randomness from stable hashes of the instance — and
// returns Effects (instance rows, timers, queued sends, trait updates and
// timeline events) that the processor writes in one transaction with the
// checkpoint, so a step, its timers and its outgoing messages are durable
// together (outbox).
package journey
