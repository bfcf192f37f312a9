package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/directmail"
	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/delivery"
	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/template"
)

// templates compiles stored templates, recompiling one when it changes.
type templates struct {
	st store.ConfigStore

	mu    sync.Mutex
	cache map[string]cachedTemplate
}

type cachedTemplate struct {
	at   time.Time
	body []byte
	c    *template.Compiled
}

var _ delivery.Templates = (*templates)(nil)

func newTemplates(st store.ConfigStore) *templates {
	return &templates{st: st, cache: map[string]cachedTemplate{}}
}

func (t *templates) Compiled(ctx context.Context, id string) (*template.Compiled, error) {
	o, err := t.st.GetConfig(ctx, "template", id)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", id, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.cache[id]; ok && c.at.Equal(o.UpdatedAt) && bytes.Equal(c.body, o.Body) {
		return c.c, nil
	}
	tpl, err := template.Parse(o.Body)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", id, err)
	}
	c, err := template.Compile(tpl)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", id, err)
	}
	t.cache[id] = cachedTemplate{at: o.UpdatedAt, body: o.Body, c: c}
	return c, nil
}

func (t *templates) Inline(channel, body string) (*template.Compiled, error) {
	return template.Compile(&template.Template{ID: "inline", Name: "inline", Channel: channel, Body: body})
}

// messaging implements the messaging API: config validation, previews and
// transactional sends.
type messaging struct {
	st     store.State
	tpls   *templates
	d      *delivery.Dispatcher
	clk    clock.Clock
	logger *slog.Logger
}

var _ httpapi.Messaging = (*messaging)(nil)

func invalid(err error) error { return fmt.Errorf("%w: %w", httpapi.ErrInvalidInput, err) }

// ValidateConfig checks a config body and returns its canonical JSON.
func (m *messaging) ValidateConfig(kind string, body json.RawMessage) (json.RawMessage, error) {
	var v any
	switch kind {
	case "template":
		tpl, err := template.Parse(body)
		if err != nil {
			return nil, invalid(err)
		}
		if _, err := template.Compile(tpl); err != nil {
			return nil, invalid(err)
		}
		v = tpl
	case "channel":
		var cc channelConfig
		if err := strictJSON(body, &cc); err != nil {
			return nil, invalid(err)
		}
		if cc.ID == "" {
			return nil, invalid(errors.New("id: missing (name the channel, e.g. \"email\")"))
		}
		if cc.RatePerSecond < 0 || cc.Burst < 0 {
			return nil, invalid(errors.New("rate_per_second and burst must not be negative (0 means unlimited and 1)"))
		}
		if cc.Type == channel.DirectMail && cc.Provider != "capture" {
			// Only the config: building the adapter would take the batch
			// directory's lock, which the live adapter holds.
			var c directmail.Config
			if err := strictJSON(cc.Config, &c); err != nil {
				return nil, invalid(fmt.Errorf("config: %w", err))
			}
			if err := c.Validate(); err != nil {
				return nil, invalid(err)
			}
		} else if _, err := buildSender(cc, nil, m.clk, m.logger); err != nil {
			return nil, invalid(err)
		}
		v = cc
	case "subscription_group":
		var g policy.SubscriptionGroup
		if err := strictJSON(body, &g); err != nil {
			return nil, invalid(err)
		}
		if err := g.Validate(); err != nil {
			return nil, invalid(err)
		}
		v = g
	case "frequency_rule":
		var r policy.CapRule
		if err := strictJSON(body, &r); err != nil {
			return nil, invalid(err)
		}
		if err := r.Validate(); err != nil {
			return nil, invalid(err)
		}
		v = r
	case "audience":
		c, err := validateAudience(context.Background(), m.st, body) //nolint:contextcheck // ValidateConfig has no context; a local read
		if err != nil {
			return nil, invalid(err)
		}
		v = c
	case "settings":
		var s delivery.Settings
		if err := strictJSON(body, &s); err != nil {
			return nil, invalid(err)
		}
		if s.ControlGroup.Percent > 0 {
			if err := s.ControlGroup.Validate(); err != nil {
				return nil, invalid(err)
			}
		}
		if s.DefaultTimezone != "" {
			if _, ok := policy.LookupZone(s.DefaultTimezone); !ok {
				return nil, invalid(fmt.Errorf("default_timezone: unknown time zone %q", s.DefaultTimezone))
			}
		}
		v = s
	default:
		return nil, invalid(fmt.Errorf("unknown config kind %q", kind))
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	return out, nil
}

func strictJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not a valid body: %w", err)
	}
	return nil
}

// Preview renders a stored or inline template for a profile.
func (m *messaging) Preview(ctx context.Context, templateID string, inline json.RawMessage, profileID string, data map[string]any) (any, error) {
	var c *template.Compiled
	var err error
	if len(inline) > 0 {
		tpl, perr := template.Parse(inline)
		if perr != nil {
			return nil, invalid(perr)
		}
		if c, err = template.Compile(tpl); err != nil {
			return nil, invalid(err)
		}
	} else if c, err = m.tpls.Compiled(ctx, templateID); err != nil {
		return nil, err
	}
	vars, err := m.d.PreviewVars(ctx, profileID, data)
	if err != nil {
		return nil, err
	}
	out, err := c.Render(vars)
	if err != nil {
		return nil, invalid(err)
	}
	return out, nil
}

// Send queues a transactional (or marketing, if not marked) message outside journeys.
func (m *messaging) Send(ctx context.Context, req httpapi.TransactionalSend) (store.Send, error) {
	tpl, err := m.tpls.Compiled(ctx, req.Template)
	if errors.Is(err, store.ErrNotFound) {
		return store.Send{}, invalid(fmt.Errorf("template %q does not exist", req.Template))
	}
	if err != nil {
		return store.Send{}, err
	}
	key := req.Key
	if key == "" {
		key = newID("msg")
	} else {
		key = "tx_" + digestKey(req.Profile, key)
	}
	p := journey.SendPayload{Template: req.Template, Retries: journey.DefaultRetries, Transactional: req.Transactional || tpl.Template().Transactional, Data: req.Data}
	body, err := json.Marshal(p)
	if err != nil {
		return store.Send{}, fmt.Errorf("encode send: %w", err)
	}
	now := m.clk.Now()
	s := store.Send{Key: key, ProfileID: req.Profile, Channel: tpl.Template().Channel, TemplateID: req.Template,
		Status: store.SendQueued, DueAt: now, CreatedAt: now, UpdatedAt: now, Payload: body}
	if err := m.st.InsertSend(ctx, s); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return m.st.GetSend(ctx, key) // the same idempotency key: the first send stands
		}
		return store.Send{}, fmt.Errorf("queue send: %w", err)
	}
	m.d.Notify()
	return s, nil
}
