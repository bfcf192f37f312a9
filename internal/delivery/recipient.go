package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/directmail"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/template"
)

func (d *Dispatcher) recipient(ctx context.Context, profileID string) (*recipient, error) {
	rows, err := d.st.ProfileTraits(ctx, profileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load traits of profile %s: %w", profileID, err)
	}
	rc := &recipient{traits: map[string]any{}, idents: map[string]string{}}
	for _, t := range rows {
		var v any
		if err := json.Unmarshal(t.Value, &v); err == nil {
			setPath(rc.traits, t.Path, v)
		}
	}
	ids, err := d.st.ProfileIdentities(ctx, profileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load identities of profile %s: %w", profileID, err)
	}
	for _, id := range ids {
		if _, ok := rc.idents[id.Type]; !ok {
			rc.idents[id.Type] = id.Value
		}
	}
	rc.traits["id"] = profileID
	return rc, nil
}

// setPath stores a dotted trait path as nested maps (address.city → {"address":{"city":...}}).
func setPath(m map[string]any, path string, v any) {
	cur := m
	start := 0
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		k := path[start:i]
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur, start = next, i+1
	}
	cur[path[start:]] = v
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return strings.TrimSpace(s)
}

// address is the recipient address of a channel kind: the trait first (the
// customer's stated address), else the resolved identifier.
func address(kind channel.Kind, rc *recipient, url string) string {
	switch kind {
	case channel.Email:
		if s := str(rc.traits, "email"); s != "" {
			return s
		}
		return rc.idents["email"]
	case channel.SMS:
		if s := str(rc.traits, "phone"); s != "" {
			return s
		}
		return rc.idents["phone"]
	case channel.Push:
		return str(rc.traits, "push_token")
	case channel.Webhook:
		return url
	case channel.InApp, channel.Task:
		return ""
	case channel.DirectMail:
		a := postal(rc)
		if a[directmail.DataLine1] == "" || a[directmail.DataPostalCode] == "" {
			return ""
		}
		return strings.Join([]string{a[directmail.DataLine1], a[directmail.DataCity], a[directmail.DataPostalCode], a[directmail.DataCountry]}, ", ")
	}
	return ""
}

// postal reads the customer's postal address traits (address.line1, or
// address.street as the demo data has it) in the direct-mail row's keys.
func postal(rc *recipient) map[string]string {
	addr, _ := rc.traits["address"].(map[string]any)
	line1 := str(addr, "line1")
	if line1 == "" {
		line1 = str(addr, "street")
	}
	out := map[string]string{
		directmail.DataFirstName: str(rc.traits, "first_name"), directmail.DataLastName: str(rc.traits, "last_name"),
		directmail.DataLine1: line1, directmail.DataLine2: str(addr, "line2"), directmail.DataCity: str(addr, "city"),
		directmail.DataState: str(addr, "state"), directmail.DataPostalCode: str(addr, "postal_code"), directmail.DataCountry: str(addr, "country"),
	}
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

// vars is what templates see.
func (d *Dispatcher) vars(s store.Send, p *journey.SendPayload, rc *recipient) template.Vars {
	v := template.Vars{
		Profile: rc.traits,
		Entry:   p.Entry,
		Event:   template.EventVars{Name: p.EntryEvent, Properties: p.Entry},
		Journey: template.JourneyVars{ID: s.JourneyID, Name: p.JourneyName, Node: s.NodeID},
		Message: template.MessageVars{Key: s.Key, UnsubscribeURL: d.unsubscribeURL(s, p)},
		Now:     d.clk.Now(),
	}
	if p.Data != nil { // transactional sends: their data is the entry
		v.Entry = p.Data
	}
	return v
}

func (d *Dispatcher) unsubscribeURL(s store.Send, p *journey.SendPayload) string {
	if d.cfg.PublicURL == "" || len(d.cfg.Secret) == 0 {
		return ""
	}
	tok := policy.UnsubscribeToken(d.cfg.Secret, policy.UnsubClaims{ProfileID: s.ProfileID, GroupID: p.Group, Channel: s.Channel, Key: s.Key})
	return d.cfg.PublicURL + "/unsubscribe/" + tok
}

func (d *Dispatcher) message(s store.Send, p *journey.SendPayload, kind channel.Kind, to string, c template.Rendered, rc *recipient) channel.Message {
	m := channel.Message{Key: s.Key, Channel: kind, ProfileID: s.ProfileID, To: to,
		Subject: c.Subject, HTML: c.HTML, Text: c.Text, Title: c.Title, Data: c.Data, Headers: c.Headers}
	switch kind {
	case channel.DirectMail:
		// The row's address fields come from the customer's traits and win
		// over template data keys of the same name.
		data := make(map[string]string, len(c.Data)+8)
		maps.Copy(data, c.Data)
		maps.Copy(data, postal(rc))
		m.Data = data
		if m.Text == "" {
			m.Text = c.Body
		}
	case channel.SMS, channel.Push:
		if m.Text == "" {
			m.Text = c.Body
		}
	case channel.Webhook:
		m.Body = []byte(c.Body)
	case channel.Email:
		if !p.Transactional {
			m.UnsubscribeURL = d.unsubscribeURL(s, p)
		}
		if pixel, wrap := d.TrackURLs(s.Key); pixel != "" && m.HTML != "" {
			m.HTML = template.AddOpenPixel(template.RewriteLinks(m.HTML, wrap), pixel)
		}
	}
	return m
}

func (d *Dispatcher) settings(ctx context.Context) Settings {
	var set Settings
	o, err := d.st.GetConfig(ctx, "settings", "messaging")
	if err == nil {
		_ = json.Unmarshal(o.Body, &set) //nolint:errcheck // validated when saved
	}
	return set
}

// optedOut tells whether the customer unsubscribed from every marketing
// message of a channel (an unsubscribe link of a send without a group).
func (d *Dispatcher) optedOut(ctx context.Context, profileID, channel string) (bool, error) {
	subs, err := d.st.Subscriptions(ctx, profileID)
	if err != nil {
		return false, fmt.Errorf("load subscriptions of %s: %w", profileID, err)
	}
	for _, s := range subs {
		if s.GroupID == AllGroup(channel) && s.State == "unsubscribed" {
			return true, nil
		}
	}
	return false, nil
}

// subscribed checks a subscription group: the recorded state, else the
// customer's consent trait for the group's channel (consent.email).
func (d *Dispatcher) subscribed(ctx context.Context, profileID, groupID string) (bool, error) {
	o, err := d.st.GetConfig(ctx, "subscription_group", groupID)
	if errors.Is(err, store.ErrNotFound) {
		// The group was deleted after the journey was published: consent
		// fails closed (and the send settles instead of blocking the queue).
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load subscription group %s: %w", groupID, err)
	}
	var g policy.SubscriptionGroup
	if err := json.Unmarshal(o.Body, &g); err != nil {
		return false, fmt.Errorf("subscription group %s: %w", groupID, err)
	}
	subs, err := d.st.Subscriptions(ctx, profileID)
	if err != nil {
		return false, fmt.Errorf("load subscriptions of %s: %w", profileID, err)
	}
	state := ""
	for _, s := range subs {
		if s.GroupID == groupID {
			state = s.State
		}
	}
	if state == "" && g.Channel != "" {
		rc, err := d.recipient(ctx, profileID)
		if err != nil {
			return false, err
		}
		if c, ok := rc.traits["consent"].(map[string]any); ok {
			if v, ok := c[g.Channel].(bool); ok {
				state = "unsubscribed"
				if v {
					state = "subscribed"
				}
			}
		}
	}
	return policy.Subscribed(g, state), nil
}

func (d *Dispatcher) zone(rc *recipient, p *journey.SendPayload, set Settings) *time.Location {
	def := time.UTC
	for _, name := range []string{p.DefaultTimezone, set.DefaultTimezone} {
		if name == "" {
			continue
		}
		// The same names as the timezone trait and settings validation
		// (aliases, Windows ids: time.LoadLocation reads "EST" as UTC-5).
		if l, ok := policy.LookupZone(name); ok {
			def = l
			break
		}
	}
	addr, _ := rc.traits["address"].(map[string]any)
	loc, _ := policy.ResolveZone(policy.ZoneInput{Timezone: str(rc.traits, "timezone"), Country: str(addr, "country"), Region: str(addr, "state")}, def)
	return loc
}

// PreviewVars builds the render variables of a preview for a profile ("" for none).
func (d *Dispatcher) PreviewVars(ctx context.Context, profileID string, data map[string]any) (template.Vars, error) {
	v := template.Vars{Entry: data, Event: template.EventVars{Properties: data}, Now: d.clk.Now(),
		Message: template.MessageVars{Key: "preview", UnsubscribeURL: d.cfg.PublicURL + "/unsubscribe/preview"}}
	if profileID == "" {
		v.Profile = map[string]any{}
		return v, nil
	}
	rc, err := d.recipient(ctx, profileID)
	if err != nil {
		return v, err
	}
	v.Profile = rc.traits
	return v, nil
}

// stage reads the customer's lifecycle stage for the timeline event ("" if none).
func (d *Dispatcher) stage(ctx context.Context, profileID string) string {
	rows, err := d.st.ProfileTraits(ctx, profileID)
	if err != nil {
		return ""
	}
	for _, t := range rows {
		if t.Path == "lifecycle_stage" {
			var s string
			if json.Unmarshal(t.Value, &s) == nil {
				return s
			}
		}
	}
	return ""
}
