package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

// Recover resolves the sends a crash left attempting: the provider may or
// may not have accepted them. Per channel: webhook and in-app are resent
// under the same key (receivers deduplicate on Idempotency-Key); providers
// that can be queried (channel.Reconciler) are asked; everything else is
// marked unknown — not resent, counted, and reported on the timeline as an
// unconfirmed send so the journey moves on.
func (d *Dispatcher) Recover(ctx context.Context) error {
	// First the outcome events a crash left on settled sends.
	if err := d.flushPending(ctx); err != nil {
		return err
	}
	for {
		stuck, err := d.st.SendsByStatus(ctx, store.SendAttempting, d.cfg.Page)
		if err != nil {
			return fmt.Errorf("read attempting sends: %w", err)
		}
		for _, s := range stuck {
			if err := d.recoverOne(ctx, s); err != nil {
				return fmt.Errorf("recover send %s: %w", s.Key, err)
			}
		}
		if err := d.clearSettled(ctx); err != nil {
			return err
		}
		if len(stuck) < d.cfg.Page {
			return nil
		}
	}
}

func (d *Dispatcher) recoverOne(ctx context.Context, s store.Send) error {
	var p journey.SendPayload
	_ = json.Unmarshal(s.Payload, &p) //nolint:errcheck // only used for the timeline event
	sender, kind, err := d.senders.Sender(ctx, s.Channel)
	if err == nil && (kind == channel.Webhook || kind == channel.InApp) {
		d.metrics.ambiguous.WithLabelValues(s.Channel, "resent").Inc()
		return d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "resent after a crash (same key)", DueAt: d.clk.Now(), At: d.clk.Now()})
	}
	if rec, ok := sender.(channel.Reconciler); ok && err == nil {
		// Providers match a lookup on the content (Twilio: To and Body), so
		// the message is rendered again as it was sent.
		msg, lerr := d.rebuild(ctx, s, &p, kind)
		if lerr == nil {
			var rcpt channel.Receipt
			var found bool
			rcpt, found, lerr = rec.Lookup(ctx, msg, s.UpdatedAt.Add(-d.cfg.Poll))
			if lerr == nil {
				d.metrics.ambiguous.WithLabelValues(s.Channel, "reconciled").Inc()
				if found {
					return d.outcome(ctx, s, &p, d.stage(ctx, s.ProfileID), store.SendSent, "reconciled after a crash", rcpt.ProviderID, s.To, nil)
				}
				return d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "not found at the provider after a crash: resent", DueAt: d.clk.Now(), At: d.clk.Now()})
			}
		}
		d.logger.Warn("reconcile a send after a crash", slog.String("send_key", s.Key), slog.Any("error", lerr))
	}
	d.metrics.ambiguous.WithLabelValues(s.Channel, "unknown").Inc()
	return d.outcome(ctx, s, &p, d.stage(ctx, s.ProfileID), store.SendUnknown, "in flight at a crash: not resent", "", s.To, map[string]any{"unconfirmed": true})
}

// rebuild renders a send's message again for a provider lookup. A template
// that prints {{ now }} renders differently and will not be found.
func (d *Dispatcher) rebuild(ctx context.Context, s store.Send, p *journey.SendPayload, kind channel.Kind) (channel.Message, error) {
	rc, err := d.recipient(ctx, s.ProfileID)
	if err != nil {
		return channel.Message{}, err
	}
	tpl, err := d.template(ctx, s, p)
	if err != nil {
		return channel.Message{}, fmt.Errorf("load template of send %s: %w", s.Key, err)
	}
	if tpl.Template().Transactional {
		p.Transactional = true
	}
	content, err := tpl.Render(d.vars(s, p, rc))
	if err != nil {
		return channel.Message{}, fmt.Errorf("render send %s: %w", s.Key, err)
	}
	to := s.To
	if to == "" {
		to = address(kind, rc, p.URL)
	}
	return d.message(s, p, kind, to, content, rc), nil
}
