package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
)

// emptyTwiML answers an inbound-message webhook without replying (the
// provider sends its own STOP/START confirmations).
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// inbound is POST /v1/feedback/{channel}/inbound: a customer's reply to an
// SMS. STOP-type keywords unsubscribe the customers owning the number from
// every marketing message on the channel at once; START-type keywords
// subscribe them again. Other replies are acknowledged and ignored.
func (d *Dispatcher) inbound(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("channel")
	sender, kind, err := d.senders.Sender(r.Context(), id)
	if err != nil {
		http.Error(w, "unknown channel "+id, http.StatusNotFound)
		return
	}
	ip, ok := sender.(channel.InboundParser)
	if !ok {
		http.Error(w, "channel "+id+" takes no inbound messages", http.StatusNotFound)
		return
	}
	in, err := ip.ParseInbound(r)
	if err != nil {
		d.logger.Warn("inbound message refused", slog.String("channel", id), slog.Any("error", err))
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	if in.OptOut || in.OptIn {
		if err := d.keyword(r.Context(), kind, in); err != nil {
			d.logger.Error("record an SMS keyword", slog.String("channel", id), slog.Any("error", err))
			http.Error(w, "could not record the reply; retry later", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(emptyTwiML)) //nolint:errcheck // the provider went away
}

// keyword applies an opt-out or opt-in reply to every customer with the number.
func (d *Dispatcher) keyword(ctx context.Context, kind channel.Kind, in channel.Inbound) error {
	ids, err := d.st.LookupIdentities(ctx, []store.IdentityKey{{Type: "phone", Value: in.From}})
	if err != nil {
		return fmt.Errorf("find the owner of %s: %w", in.From, err)
	}
	if len(ids) == 0 {
		return nil // nobody we know: the provider's own opt-out list still applies
	}
	for _, id := range ids {
		c := policy.UnsubClaims{ProfileID: id.ProfileID, Channel: string(kind)}
		if in.OptOut {
			if err := d.Unsubscribe(ctx, c, "sms_keyword"); err != nil {
				return err
			}
			continue
		}
		now := d.clk.Now()
		if err := d.st.SetSubscription(ctx, store.Subscription{ProfileID: id.ProfileID, GroupID: AllGroup(string(kind)), State: "subscribed", UpdatedAt: now, Source: "sms_keyword"}); err != nil {
			return fmt.Errorf("resubscribe %s: %w", id.ProfileID, err)
		}
		if err := d.append(ctx, "Subscribed", "sub/"+id.ProfileID+"/"+in.ProviderID, now,
			map[string]any{"profile_id": id.ProfileID, "subscription_group": AllGroup(string(kind)), "channel": string(kind), "source": "sms_keyword"}); err != nil {
			return err
		}
	}
	return nil
}
