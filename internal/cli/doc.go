// Package cli is the `cairn` command line: noun-verb subcommands, one file
// per command. Online commands talk to a running server over its HTTP API;
// offline commands open the data folder and refuse while a server holds it.
package cli
