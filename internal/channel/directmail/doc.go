// Package directmail delivers the direct-mail channel as print-vendor batch
// files: every Send appends one CSV row to the batch of the current send
// window, and a window's batch is closed — renamed to its final name and
// never written again — once the window is over. The print vendor (or a
// transfer job) picks up the closed files; its delivery confirmations come
// back as a CSV that ParseConfirmations reads.
//
// # Message contract
//
// channel.Message has no postal fields, so the dispatcher passes the
// recipient's address in Message.Data under these keys (values are plain
// strings; missing keys are empty):
//
//	first_name, last_name                       the addressee
//	address.line1, address.line2                street lines
//	address.city, address.state                 city and state/region
//	address.postal_code, address.country        postal code, ISO country
//	offer_code                                  optional: the offer/promo code column
//
// The rendered template body goes in Message.Text (Message.Body is read
// when Text is empty). Data keys named in Config.Fields become extra
// columns. A message without a postal address — no address.line1, or
// neither address.city nor address.postal_code — fails permanently with
// code CodeNoPostalAddress ("no_postal_address"); a message without a send
// key fails permanently with CodeNoKey. A batch file that cannot be
// written (full disk, permissions) fails temporarily and matches
// channel.ErrConfig, so the dispatcher holds the channel's sends and
// alerts instead of failing them one by one.
//
// # Batch files
//
// Columns: key (the send key: the vendor's reference for the piece, echoed
// in its confirmations), profile_id, name, address_line1, address_line2,
// city, state, postal_code, country, body, offer_code, then Config.Fields.
// A window is Config.Window long (default one day) and starts at
// Config.StartHour UTC (default midnight); windows of several days count
// from Monday 1970-01-05. While open, a window's batch is
// "<Prefix>-<start>.csv.open"; closed, it is "<Prefix>-<start>.csv", where
// <start> is the window's start date (2026-11-26) or, for windows that do
// not start at midnight or are shorter than a day, its start time
// (2026-11-26T0900Z). A closed name already taken gets "-2", "-3"...
// Windows close on the first Send after their end, when Run's timer fires
// at their end, when CloseExpired is called, and when New finds them left
// open by an earlier process.
//
// # Durability and idempotency
//
// Send writes the row with one write and fsyncs the file before it
// returns, so a send the ledger records as sent is in the file. The keys
// of the open window are indexed (rebuilt from the file by New), so the
// same key twice yields one row: the second Send returns the first one's
// receipt. A crash can leave a torn last row; New detects it (a last
// record that does not parse, lacks a field or lacks its newline) and
// truncates the file to the last complete row. Sender also implements
// channel.Reconciler: Lookup finds a key in the open window or in the
// closed batches of windows that ended after the attempt began, so the
// dispatcher's crash recovery marks such a send sent instead of guessing.
// Receipt.ProviderID is the batch name (the closed file name without
// ".csv") and Receipt.Detail the row number.
//
// One Sender owns a directory: New takes an advisory lock (flock) on
// Dir/.lock, held until Close, and fails with ErrDirInUse while another
// Sender — of this process or another — holds it. (The lock is a no-op
// where flock does not exist.)
//
// # Confirmations
//
// ParseConfirmations reads the vendor's confirmation CSV: a header row
// naming at least key and status (date and reason optional, any order,
// extra columns ignored), status one of delivered, returned or
// undeliverable. Confirmation.Feedback turns a row into channel.Feedback:
// Delivered, or Failed with Hard set (the address does not take mail).
package directmail
