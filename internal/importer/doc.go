// Package importer turns CSV and JSON Lines files (optionally gzip-compressed)
// of first-, second- and third-party data into Segment-spec events, streaming
// row by row so files of any size import in constant memory.
//
// A Reader parses one input according to a Spec (what kind of call each row
// becomes, which column holds the identifier, how columns map to trait or
// property paths) and yields one event per row, each with a deterministic
// messageId so that re-importing a file is deduplicated by the server. Bad rows
// come back as *RowError and the caller skips them; anything that makes the
// whole file unusable (an unknown column in the mapping, a UTF-16 file, a
// truncated gzip stream) is a plain error.
//
// Run drives a Reader into a Sink in batches, writes rejected rows to a CSV
// rejects file and reports progress; RunCLI is the `cairn import` command.
// See docs/import.md for the user-facing description.
package importer
