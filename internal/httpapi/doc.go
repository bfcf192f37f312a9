// Package httpapi is Cairn's management API under /v1 (sources, profiles,
// rejections, stats, admin) plus health and metrics. Handlers are thin:
// decode → validate → call the domain package → respond. Every error is
// rendered by one adapter into a JSON envelope with a stable code from the
// registry in errors.go. Collection endpoints live in package ingest.
package httpapi
