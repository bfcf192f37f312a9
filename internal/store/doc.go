// Package store defines Cairn's engine-neutral storage contract: the event log
// (the source of truth) and the state store (sources, identities, profiles,
// accounts, rejections, audit). Implementations live in store/sqlite (the
// embedded default) and store/postgres; store/storetest is the one contract
// suite both must pass. Nothing engine-specific leaks above this package.
package store
