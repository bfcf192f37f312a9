// Package demo generates the Northern Trail Outfitters (NTO) demo data set: a
// deterministic, time-ordered stream of Segment-spec events from every NTO
// touchpoint (web, app, stores, call center, email, ads, direct mail, a partner
// and a data vendor), with known truths planted for later analytics to recover:
// repeat purchases drawn from a BG/NBD process, order values from a Gamma-Gamma
// model, and a randomized direct-mail holdout with a known causal lift on
// first-purchase conversion.
//
// Generate streams JSONL ({"source":…,"event":{…}} per line) without holding the
// events in memory; Read streams such a file back; Truths reports the planted
// parameters and per-customer ground truth; RunGenerate is the
// `cairn demo generate` command. docs/demo.md describes the model.
package demo
