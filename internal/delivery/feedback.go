package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Timeline events of delivery feedback after a send (the send itself is
// Message Sent/Skipped/Failed).
const (
	EventMessageDelivered   = "Message Delivered"
	EventMessageUndelivered = "Message Undelivered" // the provider accepted it, then could not deliver it
	EventMessageBounced     = "Message Bounced"
	EventMessageComplained  = "Message Complained"
)

// ErrUnknownSend is returned for feedback that matches no send.
var ErrUnknownSend = errors.New("the report matches no send of this server")

// Feedback records a provider's report about a send: an engagement fact,
// a timeline event, and for hard bounces and complaints a suppression of
// the address (and, for complaints, an unsubscribe from all marketing on
// the channel) so nothing is sent there again.
func (d *Dispatcher) Feedback(ctx context.Context, fb channel.Feedback) error {
	s, err := d.feedbackSend(ctx, fb)
	if err != nil {
		return err
	}
	switch fb.Type {
	case channel.Opened, channel.Clicked:
		return d.Engage(ctx, s.Key, string(fb.Type), fb.URL)
	case channel.Unsubscribed:
		return d.Unsubscribe(ctx, policy.UnsubClaims{ProfileID: s.ProfileID, Channel: s.Channel, Key: s.Key}, "provider")
	}
	now := d.clk.Now()
	at := fb.At
	if at.IsZero() {
		at = now
	}
	if err := d.st.AddEngagement(ctx, store.Engagement{Key: s.Key, Type: string(fb.Type), Data: fb.Reason, At: at}); err != nil {
		return fmt.Errorf("record %s of %s: %w", fb.Type, s.Key, err)
	}
	name := ""
	switch fb.Type {
	case channel.Delivered:
		name = EventMessageDelivered
	case channel.Failed:
		name = EventMessageUndelivered
	case channel.Bounced:
		name = EventMessageBounced
	case channel.Complained:
		name = EventMessageComplained
	default:
		return nil // e.g. a "sent" status: nothing new
	}
	addr := fb.Address
	if addr == "" {
		addr = s.To
	}
	if (fb.Type == channel.Bounced && fb.Hard) || fb.Type == channel.Complained || (fb.Type == channel.Failed && fb.Hard) {
		reason := "hard_bounce"
		if fb.Type == channel.Complained {
			reason = "complaint"
		}
		if a := normalizeAddress(s.Channel, addr); a != "" {
			if err := d.st.AddSuppression(ctx, store.Suppression{Channel: s.Channel, Address: a, Reason: reason, CreatedAt: now}); err != nil {
				return fmt.Errorf("suppress %s: %w", s.Channel, err)
			}
		}
		if fb.Type == channel.Complained {
			if err := d.Unsubscribe(ctx, policy.UnsubClaims{ProfileID: s.ProfileID, Channel: s.Channel, Key: s.Key}, "complaint"); err != nil {
				return err
			}
		}
	}
	props := map[string]any{"profile_id": s.ProfileID, "send_key": s.Key, "channel": s.Channel, "template": s.TemplateID,
		"journey_id": s.JourneyID, "journey_version": s.Version, "instance_id": s.InstanceID, "node_id": s.NodeID}
	if fb.Reason != "" {
		props["reason"] = fb.Reason
	}
	if fb.Type == channel.Bounced {
		props["bounce"] = map[bool]string{true: "hard", false: "soft"}[fb.Hard]
	}
	return d.append(ctx, name, s.Key+"/"+string(fb.Type)+"/"+fb.Reason, at, props)
}

func (d *Dispatcher) feedbackSend(ctx context.Context, fb channel.Feedback) (store.Send, error) {
	if fb.Key != "" {
		s, err := d.st.GetSend(ctx, fb.Key)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return s, fmt.Errorf("load send %s: %w", fb.Key, err)
		}
	}
	if fb.ProviderID != "" {
		s, err := d.st.SendByProviderID(ctx, string(fb.Channel), fb.ProviderID)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return s, fmt.Errorf("find send by provider id: %w", err)
		}
	}
	return store.Send{}, ErrUnknownSend
}

func normalizeAddress(ch, a string) string {
	a = strings.TrimSpace(a)
	if ch == string(channel.Email) {
		return strings.ToLower(a)
	}
	return a
}

// statusCallback is POST /v1/feedback/{channel}/status: a provider's
// delivery report (Twilio's StatusCallback), verified by the channel's adapter.
func (d *Dispatcher) statusCallback(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("channel")
	sender, _, err := d.senders.Sender(r.Context(), id)
	if err != nil {
		http.Error(w, "unknown channel "+id, http.StatusNotFound)
		return
	}
	cp, ok := sender.(channel.CallbackParser)
	if !ok {
		http.Error(w, "channel "+id+" takes no status callbacks", http.StatusNotFound)
		return
	}
	fb, err := cp.ParseCallback(r)
	if err != nil {
		// Interim statuses (queued, sending) are fine; bad signatures are refused.
		if errors.Is(err, channel.ErrNoReport) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		d.logger.Warn("status callback refused", slog.String("channel", id), slog.Any("error", err))
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	if fb.Channel == "" {
		fb.Channel = channel.Kind(id)
	}
	if err := d.Feedback(r.Context(), fb); err != nil {
		if errors.Is(err, ErrUnknownSend) {
			w.WriteHeader(http.StatusNoContent) // not ours (or erased): acknowledge so the provider stops retrying
			return
		}
		d.logger.Error("record status callback", slog.String("channel", id), slog.Any("error", err))
		http.Error(w, "could not record the report; retry later", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
