package email

import (
	"fmt"
	"io"
	"net/mail"
	"net/textproto"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// dsnFieldTypes are the media types of a DSN's machine-readable part
// (RFC 3464, and RFC 6533 for internationalized addresses).
var dsnFieldTypes = []string{"message/delivery-status", "message/global-delivery-status"}

// ParseDSN reads a delivery status notification (RFC 3464): a
// multipart/report with report-type=delivery-status. Of its recipients it
// reports the first whose Action is "failed", else the first "delayed",
// else the first delivered/relayed/expanded one:
//
//   - failed or delayed: Type Bounced, Hard when Status is 5.x.x (a failed
//     recipient without Status, or with a 5xx Diagnostic-Code, is hard too;
//     4.x.x is soft);
//   - delivered, relayed, expanded: Type Delivered (a success DSN).
//
// Address is the Original-Recipient (the address Cairn sent to), else the
// Final-Recipient; Reason is the Diagnostic-Code without its type ("550
// 5.1.1 user unknown"), else the Status; At is the recipient's
// Last-Attempt-Date, else the Arrival-Date, else the report's Date. Key
// and ProviderID come from X-Cairn-Key and Message-ID of the returned
// message or headers part, when there is one.
//
// Errors wrap ErrNotReport (not a delivery-status report) or
// ErrMalformedReport (no status part, no recipient).
func ParseDSN(r io.Reader) (channel.Feedback, error) {
	rep, err := readReport(r, "delivery-status", dsnFieldTypes)
	if err != nil {
		return channel.Feedback{}, fmt.Errorf("parse dsn: %w", err)
	}
	perMessage := rep.fields[0]
	recipients := rep.fields[1:]
	if perMessage.Get("Final-Recipient") != "" {
		// No per-message group: every group is a recipient.
		perMessage, recipients = textproto.MIMEHeader{}, rep.fields
	}
	rcpt, action := pickRecipient(recipients)
	if rcpt == nil {
		return channel.Feedback{}, fmt.Errorf("parse dsn: %w: no recipient with Final-Recipient", ErrMalformedReport)
	}

	address := ""
	if orig := rcpt.Get("Original-Recipient"); orig != "" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(orig)), "rfc822;") {
		address = typedValue(orig)
	}
	if address == "" {
		address = typedValue(rcpt.Get("Final-Recipient"))
	}
	if address == "" {
		return channel.Feedback{}, fmt.Errorf("parse dsn: %w: empty Final-Recipient", ErrMalformedReport)
	}
	status := dsnStatus(rcpt.Get("Status"))
	diag := typedValue(rcpt.Get("Diagnostic-Code"))

	fb := channel.Feedback{
		Type:    channel.Bounced,
		Channel: channel.Email,
		Address: address,
		Reason:  diag,
		At: firstDate(rcpt.Get("Last-Attempt-Date"), perMessage.Get("Arrival-Date"),
			rep.header.Get("Date")),
	}
	if fb.Reason == "" {
		fb.Reason = status
	}
	switch action {
	case "failed", "delayed":
		fb.Hard = hardBounce(action, status, diag)
	default:
		fb.Type = channel.Delivered
	}
	fb.Key, fb.ProviderID = rep.originalIDs()
	return fb, nil
}

// actionRank orders DSN actions by how much they matter to the sender.
var actionRank = map[string]int{"failed": 3, "delayed": 2, "delivered": 1, "relayed": 1, "expanded": 1}

// pickRecipient returns the recipient group to report and its action
// (lower case; inferred from the Status class when Action is missing).
func pickRecipient(groups []textproto.MIMEHeader) (textproto.MIMEHeader, string) {
	var best textproto.MIMEHeader
	bestAction, bestRank := "", 0
	for _, g := range groups {
		if g.Get("Final-Recipient") == "" {
			continue
		}
		action := strings.ToLower(strings.TrimSpace(g.Get("Action")))
		if action == "" {
			switch statusClass(dsnStatus(g.Get("Status"))) {
			case '5':
				action = "failed"
			case '4':
				action = "delayed"
			case '2':
				action = "delivered"
			}
		}
		rank := actionRank[action]
		if rank > bestRank {
			best, bestAction, bestRank = g, action, rank
		}
	}
	return best, bestAction
}

// dsnStatus returns the status code of a Status field ("5.1.1" of
// "5.1.1 (user unknown)"), or "" when there is none.
func dsnStatus(v string) string {
	f := strings.Fields(v)
	if len(f) == 0 || len(f[0]) < 5 || strings.Count(f[0], ".") != 2 {
		return ""
	}
	return f[0]
}

// statusClass is the class digit of a status code, '0' for none.
func statusClass(status string) byte {
	if status == "" {
		return '0'
	}
	return status[0]
}

// hardBounce decides whether a failed or delayed recipient bounced for
// good.
func hardBounce(action, status, diag string) bool {
	switch statusClass(status) {
	case '5':
		return true
	case '4', '2':
		return false
	}
	if code, _, _ := strings.Cut(diag, " "); len(code) == 3 {
		return code[0] == '5'
	}
	return action == "failed"
}

// returnedTo is the first To address of the returned original header, for
// reports that name no recipient.
func (r *report) returnedTo() string {
	if r.original == nil {
		return ""
	}
	list, err := mail.ParseAddressList(r.original.Get("To"))
	if err != nil || len(list) == 0 {
		return ""
	}
	return list[0].Address
}
