// Package audience exports segments as ad-platform audience files: the
// customer-list uploads of Google Ads Customer Match and Meta Custom
// Audiences, and a plain list of hashed identifiers for any other
// platform that takes SHA-256 customer lists.
//
// Formats normalize each identifier exactly as the platform documents it
// (normalize.go cites the pages) and SHA-256 hash it, lowercase hex:
//
//	google  Email,Phone,First Name,Last Name,Country,Zip — hashed email
//	        (gmail.com/googlemail.com without dots before the '@'), phone
//	        (E.164 with '+') and names; country and zip in clear
//	meta    email,phone,fn,ln,zip,ct,st,country — all hashed; phone as
//	        digits with the country code and no '+'
//	hashed  identifier_type,sha256 — one row per email (trimmed,
//	        lowercased) and phone (E.164)
//
// A member with several emails or phones takes several rows (the i-th
// email with the i-th phone); a member with nothing to match on takes
// none. Formats are plain functions of Members (Rows, Write), usable
// without the Exporter.
//
// # Exporter
//
// Exporter.Refresh(ctx, segmentID) reads the segment's members from the
// store (SegmentMembers paging; each member's email and phone identities
// and its email, phone, first_name, last_name, name and address.* traits)
// and writes, for each configured format, into Config.Dir:
//
//	<segment>-<format>.csv          the full audience
//	<segment>-<format>-added.csv    rows not in the previous full file
//	<segment>-<format>-removed.csv  rows of the previous full file gone now
//	<segment>.members               SHA-256 of the member profile ids (state)
//
// Deltas are computed row by row against the full file in place, so a
// member whose email changed has the old row removed and the new one
// added, and a removed row is what was uploaded before (its identifiers
// may since have been erased from the store). Apply removals before
// additions. Each refresh overwrites the deltas: an uploader that may
// miss one should upload the full file with the platform's replace
// operation instead. Every file is replaced atomically (temporary file,
// fsync, rename, directory fsync).
//
// Refresh is meant to run when a segment's membership changes (its
// Segment Entered / Segment Exited events), debounced: Debouncer collects
// notifications and refreshes each segment once it has been quiet for a
// while, or after a maximum delay under a steady stream of changes.
//
// Memory: a refresh holds the previous full file's rows and the member
// hashes in memory, O(members) — fine for the segment sizes a SQLite
// deployment holds.
package audience
