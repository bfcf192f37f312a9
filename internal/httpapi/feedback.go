package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/directmail"
	"github.com/cairn-cdp/cairn/internal/channel/email"
	"github.com/cairn-cdp/cairn/internal/delivery"
)

// FeedbackRecorder records a provider's delivery report about a send.
type FeedbackRecorder interface {
	Feedback(ctx context.Context, fb channel.Feedback) error
}

// maxReport bounds an inbound bounce or complaint message.
const maxReport = 4 << 20

// emailFeedback is POST /v1/feedback/email: an inbound bounce (RFC 3464
// delivery status notification) or complaint (RFC 5965 abuse report) as a
// raw RFC 5322 message, e.g. piped from the bounce mailbox by the MTA. Hard
// bounces and complaints suppress the address.
func (s *Server) emailFeedback(w http.ResponseWriter, r *http.Request) error {
	if s.d.Feedback == nil {
		return apiErr(CodeUnavailable, "delivery feedback is not recorded on this server")
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxReport+1))
	if err != nil {
		return badField("body", "read the report: %v", err)
	}
	if len(raw) > maxReport {
		return badField("body", "the report is larger than %d bytes", maxReport)
	}
	fb, err := email.ParseDSN(bytes.NewReader(raw))
	if errors.Is(err, email.ErrNotReport) {
		fb, err = email.ParseARF(bytes.NewReader(raw))
	}
	if err != nil {
		return apiErr(CodeInvalid, "not a delivery status notification (RFC 3464) or abuse report (RFC 5965): %v", err)
	}
	fb.Channel = channel.Email
	if err := s.d.Feedback.Feedback(r.Context(), fb); err != nil {
		if errors.Is(err, delivery.ErrUnknownSend) {
			return apiErr(CodeNotFound, "the report matches no send of this server (key %q, message id %q)", fb.Key, fb.ProviderID)
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": fb.Type, "hard": fb.Hard, "address": fb.Address, "send_key": fb.Key, "reason": fb.Reason})
	return nil
}

// directMailFeedback is POST /v1/feedback/direct_mail: the print vendor's
// delivery confirmation CSV (key, status, date, reason). Delivered rows and
// returned/undeliverable ones (which suppress the address) become delivery
// feedback; rows naming no send of this server are counted, not fatal.
func (s *Server) directMailFeedback(w http.ResponseWriter, r *http.Request) error {
	if s.d.Feedback == nil {
		return apiErr(CodeUnavailable, "delivery feedback is not recorded on this server")
	}
	list, err := directmail.ParseConfirmations(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return apiErr(CodeInvalid, "not a direct-mail confirmation file: %v", err)
	}
	recorded, unknown := 0, 0
	for _, c := range list {
		fb := c.Feedback()
		fb.Channel = channel.DirectMail
		if err := s.d.Feedback.Feedback(r.Context(), fb); err != nil {
			if errors.Is(err, delivery.ErrUnknownSend) {
				unknown++
				continue
			}
			return err
		}
		recorded++
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": len(list), "recorded": recorded, "unknown_sends": unknown})
	return nil
}
