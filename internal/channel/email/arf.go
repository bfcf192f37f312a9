package email

import (
	"fmt"
	"io"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// ParseARF reads an abuse feedback report (RFC 5965, the format of
// feedback loops such as Yahoo's and Microsoft's JMRP): a multipart/report
// with report-type=feedback-report. It returns Type Complained; Reason is
// the Feedback-Type (abuse, fraud, virus, other ...); Address the
// Original-Rcpt-To, else the To of the returned message (providers that
// redact the recipient leave both out, and the send is then matched by
// Key or ProviderID alone); At the Arrival-Date (or Received-Date), else
// the report's Date; Key and ProviderID the X-Cairn-Key and Message-ID of
// the returned message.
//
// Reports that are not complaints, Feedback-Type not-spam and auth-failure
// (RFC 6591), are errors wrapping ErrNotReport. A report naming neither a
// recipient nor the original message is an error wrapping
// ErrMalformedReport.
func ParseARF(r io.Reader) (channel.Feedback, error) {
	rep, err := readReport(r, "feedback-report", []string{"message/feedback-report"})
	if err != nil {
		return channel.Feedback{}, fmt.Errorf("parse arf: %w", err)
	}
	f := rep.fields[0]
	feedbackType := strings.ToLower(strings.TrimSpace(f.Get("Feedback-Type")))
	switch feedbackType {
	case "":
		return channel.Feedback{}, fmt.Errorf("parse arf: %w: no Feedback-Type", ErrMalformedReport)
	case "not-spam", "auth-failure":
		return channel.Feedback{}, fmt.Errorf("parse arf: %w: feedback-type %s is not a complaint", ErrNotReport, feedbackType)
	}
	fb := channel.Feedback{
		Type:    channel.Complained,
		Channel: channel.Email,
		Address: typedValue(f.Get("Original-Rcpt-To")),
		Reason:  feedbackType,
		At:      firstDate(f.Get("Arrival-Date"), f.Get("Received-Date"), rep.header.Get("Date")),
	}
	if fb.Address == "" {
		fb.Address = rep.returnedTo()
	}
	fb.Key, fb.ProviderID = rep.originalIDs()
	if fb.Address == "" && fb.Key == "" && fb.ProviderID == "" {
		return channel.Feedback{}, fmt.Errorf("parse arf: %w: names neither the recipient nor the original message", ErrMalformedReport)
	}
	return fb, nil
}
