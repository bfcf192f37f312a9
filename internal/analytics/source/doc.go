// Package source extracts the inputs of the measurement models (internal/
// analytics/clv, attribution and abtest) from Cairn's own stores: purchase
// transactions, touchpoints and conversions, read from every surviving
// profile's timeline (including the ids merged into it) and, for properties
// and context, from the event payloads in the log.
package source
