package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/template"
)

// Skip reasons recorded on skipped sends and Message Skipped events.
const (
	SkipHoldout       = "holdout"       // the journey's holdout: would have sent
	SkipControlGroup  = "control_group" // the global control group: would have sent
	SkipConsent       = "consent"
	SkipSuppressed    = "suppressed"
	SkipMissingIdent  = "missing_identifier"
	SkipQuietHours    = "quiet_hours"
	SkipFrequencyCap  = "frequency_cap"
	FailRender        = "render"
	FailChannel       = "channel_unavailable"
	FailRetriesSpent  = "retries_exhausted"
	FailProviderRefus = "provider_rejected"
)

// Settings is the workspace messaging settings (config kind "settings", id "messaging").
type Settings struct {
	ControlGroup    policy.ControlGroup `json:"global_control_group"`
	DefaultTimezone string              `json:"default_timezone,omitempty"`
	// IdentitySecret verifies apps' in-app requests: they send
	// hex(HMAC-SHA256(secret, user id)) computed by the company's backend.
	IdentitySecret string `json:"identity_verification_secret,omitempty"`
}

// recipient is who a send goes to and what the template sees.
type recipient struct {
	traits map[string]any
	idents map[string]string // type → value (first found)
}

// stage is the recipient's lifecycle stage, stamped on outcome events.
func (rc *recipient) stage() string {
	s, _ := rc.traits["lifecycle_stage"].(string)
	return s
}

func (d *Dispatcher) deliver(ctx context.Context, s store.Send) error {
	var p journey.SendPayload
	if len(s.Payload) > 0 {
		if err := json.Unmarshal(s.Payload, &p); err != nil {
			return d.outcome(ctx, s, nil, d.stage(ctx, s.ProfileID), store.SendFailed, "bad payload: "+err.Error(), "", "", nil)
		}
	}
	rc, err := d.recipient(ctx, s.ProfileID)
	if err != nil {
		return err
	}
	sender, kind, err := d.senders.Sender(ctx, s.Channel)
	if err != nil {
		return d.outcome(ctx, s, &p, rc.stage(), store.SendFailed, FailChannel+": "+err.Error(), "", "", nil)
	}
	to := address(kind, rc, p.URL)
	if to == "" && kind != channel.Task && kind != channel.InApp && kind != channel.Webhook {
		return d.outcome(ctx, s, &p, rc.stage(), store.SendSkipped, SkipMissingIdent, "", "", map[string]any{"would_have_sent": false})
	}
	tpl, err := d.template(ctx, s, &p)
	if err != nil {
		return d.outcome(ctx, s, &p, rc.stage(), store.SendFailed, FailRender+": "+err.Error(), "", to, nil)
	}
	if tpl.Template().Transactional {
		p.Transactional = true
	}
	p.Tags = tpl.Template().Tags
	if reason, err := d.rules(ctx, s, &p, kind, rc, to); err != nil || reason != "" {
		if err != nil || reason == "deferred" {
			return err
		}
		extra := map[string]any{}
		if reason == SkipHoldout || reason == SkipControlGroup {
			extra["would_have_sent"] = true
		}
		return d.outcome(ctx, s, &p, rc.stage(), store.SendSkipped, reason, "", to, extra)
	}
	content, err := tpl.Render(d.vars(s, &p, rc))
	if err != nil {
		return d.outcome(ctx, s, &p, rc.stage(), store.SendFailed, FailRender+": "+err.Error(), "", to, nil)
	}
	now := d.clk.Now()
	if at := d.paced(ctx, s.Channel, s.Key, now); at.After(now) {
		d.metrics.rateDeferred.WithLabelValues(s.Channel).Inc()
		return d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "deferred: rate limit", DueAt: at, At: now})
	}
	if err := d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendAttempting, To: to, Attempts: s.Attempts + 1, At: now}); err != nil {
		return fmt.Errorf("record attempting: %w", err)
	}
	msg := d.message(s, &p, kind, to, content, rc)
	rcpt, err := sender.Send(ctx, msg)
	if err == nil {
		if kind == channel.InApp || kind == channel.Task {
			// Cairn serves these itself: keep exactly what was rendered.
			body, _ := json.Marshal(content) //nolint:errcheck // strings and string maps always marshal
			if err := d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendAttempting, Content: body, At: now}); err != nil {
				return fmt.Errorf("record content: %w", err)
			}
		}
		if err := d.outcome(ctx, s, &p, rc.stage(), store.SendSent, "", rcpt.ProviderID, to, nil); err != nil {
			return err
		}
		return d.saveResponse(ctx, s, &p, rcpt)
	}
	attempts := s.Attempts + 1
	if errors.Is(err, channel.ErrConfig) || errors.Is(err, channel.ErrUnavailable) {
		// Not this message's fault: every message on the channel would fail
		// the same way (wrong credentials, relay down). Hold it (no retry
		// budget spent) and alert.
		d.metrics.channelErrors.WithLabelValues(s.Channel).Inc()
		d.logger.Error("channel configuration error: holding its sends", slog.String("channel", s.Channel), slog.Any("error", err))
		return d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "held: " + err.Error(), DueAt: now.Add(configHold), At: now})
	}
	if errors.Is(err, channel.ErrAddressGone) && kind == channel.Push {
		// The device unregistered: drop its token so no journey sends there again.
		if uerr := d.append(ctx, journey.EventProfileUpdated, s.Key+"/token-gone", now, map[string]any{
			"profile_id": s.ProfileID, "unset": []string{"push_token"}, "send_key": s.Key, "note": "push token unregistered"}); uerr != nil {
			d.logger.Warn("drop an unregistered push token", slog.String("send_key", s.Key), slog.Any("error", uerr))
		}
	}
	if channel.IsPermanent(err) || attempts > p.Retries {
		reason := FailProviderRefus + ": " + err.Error()
		if !channel.IsPermanent(err) {
			reason = FailRetriesSpent + ": " + err.Error()
		}
		return d.outcome(ctx, s, &p, rc.stage(), store.SendFailed, reason, "", to, nil)
	}
	// A temporary failure: queue again with exponential backoff, or later
	// when the provider said when (Retry-After), capped at an hour.
	backoff := time.Duration(1<<min(attempts, 10)) * time.Second
	if ra, ok := channel.RetryAfter(err); ok && ra > backoff {
		backoff = min(ra, time.Hour)
	}
	return d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: err.Error(), DueAt: now.Add(backoff), At: now})
}

// template finds the send's template: stored, or the inline body of a webhook node.
func (d *Dispatcher) template(ctx context.Context, s store.Send, p *journey.SendPayload) (*template.Compiled, error) {
	if s.TemplateID == "" && p.Body != "" {
		return d.tpls.Inline(string(channel.Webhook), p.Body)
	}
	if s.TemplateID == "" {
		return d.tpls.Inline(string(channel.Webhook), "{}")
	}
	return d.tpls.Compiled(ctx, s.TemplateID)
}

// configHold is how long a send waits after a channel configuration error
// before it is tried again.
const configHold = time.Minute

// rules applies the send-time rules in order; it returns a skip reason,
// "deferred" when the send was rescheduled, or "" to send.
func (d *Dispatcher) rules(ctx context.Context, s store.Send, p *journey.SendPayload, kind channel.Kind, rc *recipient, to string) (string, error) {
	if p.Holdout {
		return SkipHoldout, nil
	}
	set := d.settings(ctx)
	if !p.Transactional && !p.IgnoreControl && set.ControlGroup.Percent > 0 && set.ControlGroup.Contains(s.ProfileID) {
		return SkipControlGroup, nil
	}
	if !p.Transactional {
		out, err := d.optedOut(ctx, s.ProfileID, s.Channel)
		if err != nil {
			return "", err
		}
		if out {
			return SkipConsent, nil
		}
	}
	if p.Group != "" {
		ok, err := d.subscribed(ctx, s.ProfileID, p.Group)
		if err != nil {
			return "", err
		}
		if !ok {
			return SkipConsent, nil
		}
	}
	if to != "" && (kind == channel.Email || kind == channel.SMS || kind == channel.DirectMail) {
		sup, err := d.suppressed(ctx, kind, rc, to)
		if err != nil {
			return "", err
		}
		if sup {
			return SkipSuppressed, nil
		}
	}
	now := d.clk.Now()
	loc := d.zone(rc, p, set)
	if q := p.QuietHours; q != nil && !p.Transactional {
		pq := policy.QuietHours{Start: q.Start, End: q.End, Days: policy.Weekdays(q.Days), OnQuiet: q.OnQuiet}
		if quiet, resume := pq.Check(now, loc); quiet {
			if q.OnQuiet == "skip" {
				return SkipQuietHours, nil
			}
			return "deferred", d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "deferred: quiet hours", DueAt: resume, At: now})
		}
	}
	if !p.Transactional {
		dec, err := d.caps(ctx, s, p.Tags, loc, now)
		if err != nil {
			return "", err
		}
		if !dec.Allowed {
			if p.OnCap == "wait" && !dec.RetryAt.IsZero() {
				return "deferred", d.st.UpdateSend(ctx, store.SendUpdate{Key: s.Key, Status: store.SendQueued, Reason: "deferred: frequency cap " + dec.RuleID, DueAt: dec.RetryAt, At: now})
			}
			return SkipFrequencyCap, nil
		}
	}
	return "", nil
}

// suppressed checks the suppression list. Suppressions hold normalized
// addresses (lowercase email, E.164 phone) while the address trait may be
// written any way, so the lowercased address and the profile's resolved
// (normalized) identifier of the channel are checked too.
func (d *Dispatcher) suppressed(ctx context.Context, kind channel.Kind, rc *recipient, to string) (bool, error) {
	cands := []string{to}
	switch kind {
	case channel.Email:
		cands = append(cands, strings.ToLower(to), rc.idents["email"])
	case channel.SMS:
		cands = append(cands, rc.idents["phone"])
	}
	for i, a := range cands {
		if a == "" || slices.Contains(cands[:i], a) {
			continue
		}
		_, err := d.st.Suppressed(ctx, string(kind), a)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return false, fmt.Errorf("check suppression: %w", err)
		}
	}
	return false, nil
}

// deferSlack bounds how much longer than a cap's window a send can stay
// queued between its creation and its delivery (quiet hours, retries).
const deferSlack = 48 * time.Hour

func (d *Dispatcher) caps(ctx context.Context, s store.Send, tags []string, loc *time.Location, now time.Time) (policy.Decision, error) {
	objs, err := d.st.ListConfig(ctx, "frequency_rule")
	if err != nil {
		return policy.Decision{}, fmt.Errorf("load frequency rules: %w", err)
	}
	if len(objs) == 0 {
		return policy.Decision{Allowed: true}, nil
	}
	rules := make([]policy.CapRule, 0, len(objs))
	for _, o := range objs {
		var r policy.CapRule
		if err := json.Unmarshal(o.Body, &r); err != nil {
			return policy.Decision{}, fmt.Errorf("frequency rule %s: %w", o.ID, err)
		}
		if r.ID == "" {
			r.ID = o.ID
		}
		// Only rules that can apply to this send (CheckCaps's test) need its history.
		if (r.Channel == "" || r.Channel == s.Channel) && (r.Tag == "" || slices.Contains(tags, r.Tag)) {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 {
		return policy.Decision{Allowed: true}, nil
	}
	// Sends count by when they were sent, but the store selects them by
	// creation: a send deferred by quiet hours, a cap wait or retries was
	// created up to about one window (plus quiet hours) before it went out.
	since := policy.Lookback(rules, now, loc)
	since = since.Add(-now.Sub(since) - deferSlack)
	sent, err := d.st.ProfileSends(ctx, s.ProfileID, since, 10000)
	if err != nil {
		return policy.Decision{}, fmt.Errorf("load sends of profile %s: %w", s.ProfileID, err)
	}
	var hist []policy.Sent
	for _, h := range sent {
		// An unknown send (in flight at a crash) most likely went out.
		if (h.Status != store.SendSent && h.Status != store.SendUnknown) || h.SentAt == nil || h.Key == s.Key {
			continue
		}
		var hp journey.SendPayload
		_ = json.Unmarshal(h.Payload, &hp) //nolint:errcheck // an unreadable payload counts as marketing
		hist = append(hist, policy.Sent{At: *h.SentAt, Channel: h.Channel, Tags: d.templateTags(ctx, h.TemplateID), Transactional: hp.Transactional})
	}
	return policy.CheckCaps(rules, hist, policy.Candidate{Channel: s.Channel, Tags: tags}, now, loc), nil
}

// templateTags returns a template's tags (none if it no longer exists).
func (d *Dispatcher) templateTags(ctx context.Context, id string) []string {
	if id == "" {
		return nil
	}
	c, err := d.tpls.Compiled(ctx, id)
	if err != nil {
		return nil
	}
	return c.Template().Tags
}
