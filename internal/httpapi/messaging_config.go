package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// configKind is one kind of messaging configuration object, served as a
// collection under /v1/<path>.
type configKind struct {
	kind string // store kind, and the kind passed to Messaging.ValidateConfig
	path string // URL path segment
	list string // key of the list response
	noun string // for messages
}

// Config kinds of the messaging control plane.
const (
	ConfigTemplate          = "template"
	ConfigChannel           = "channel"
	ConfigSubscriptionGroup = "subscription_group"
	ConfigFrequencyRule     = "frequency_rule"
	ConfigSettings          = "settings"
	ConfigAudience          = "audience"
)

// SettingsMessaging is the id of the workspace messaging settings object.
const SettingsMessaging = "messaging"

// The config collections (Register serves each under /v1/<path>) and the settings object.
var (
	templateKind = configKind{kind: ConfigTemplate, path: "templates", list: "templates", noun: "template"}
	channelKind  = configKind{kind: ConfigChannel, path: "channels", list: "channels", noun: "channel"}
	groupKind    = configKind{kind: ConfigSubscriptionGroup, path: "subscription-groups", list: "subscription_groups", noun: "subscription group"}
	ruleKind     = configKind{kind: ConfigFrequencyRule, path: "frequency-rules", list: "frequency_rules", noun: "frequency rule"}
	settingsKind = configKind{kind: ConfigSettings, path: "settings/messaging", noun: "messaging settings"}
	audienceKind = configKind{kind: ConfigAudience, path: "audiences", list: "audiences", noun: "audience"}
)

// configView is a config object as the API returns it: secrets redacted.
type configView struct {
	Kind      string          `json:"kind"`
	ID        string          `json:"id"`
	Body      json.RawMessage `json:"body"`
	UpdatedAt *time.Time      `json:"updated_at,omitempty"`
}

func viewConfig(o store.ConfigObject) configView {
	v := configView{Kind: o.Kind, ID: o.ID, Body: redact(o.Body)}
	if !o.UpdatedAt.IsZero() {
		v.UpdatedAt = &o.UpdatedAt
	}
	return v
}

// readObject reads a request body that must be one JSON object.
func readObject(r *http.Request) (json.RawMessage, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return nil, apiErr(CodeBadRequest, "read request body: %v", err)
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' || !json.Valid(body) {
		return nil, badField("body", "the body must be one JSON object")
	}
	return body, nil
}

// bodyID returns the "id" of a config body; want is the id in the URL (""
// on create). A body without an id gets want.
func bodyID(body json.RawMessage, want string) (json.RawMessage, string, error) {
	ms, _, err := members(body)
	if err != nil {
		return nil, "", badField("body", "the body must be one JSON object: %v", err)
	}
	for _, m := range ms {
		if m.key != "id" {
			continue
		}
		var id string
		if json.Unmarshal(m.value, &id) != nil || !journeyIDPattern.MatchString(id) {
			return nil, "", badField("id", "id must be 1-128 letters, digits, _, . or -, starting with a letter or digit; got %s", m.value)
		}
		if want != "" && id != want {
			return nil, "", badField("id", "the body's id %q does not match %q in the URL; ids cannot be changed", id, want)
		}
		return body, id, nil
	}
	if want == "" {
		return nil, "", badField("id", "the body needs an id, e.g. \"welcome-email\"")
	}
	idJSON, _ := json.Marshal(want) //nolint:errcheck // a string always marshals
	return buildObject(append([]member{{key: "id", value: idJSON}}, ms...)), want, nil
}

// prepareConfig merges redacted secrets back from stored and validates the
// body through Messaging; it returns what to store.
func (s *Server) prepareConfig(k configKind, body, stored json.RawMessage) (json.RawMessage, error) {
	body, err := mergeSecrets(body, stored)
	if errors.Is(err, errPlaceholder) {
		return nil, badField("body", "%v: send the real value (%q stands for a value already stored)", err, Redacted)
	}
	if err != nil {
		return nil, badField("body", "the body must be one JSON object: %v", err)
	}
	if s.d.Messaging == nil {
		var b bytes.Buffer
		if err := json.Compact(&b, body); err != nil {
			return nil, badField("body", "the body must be one JSON object: %v", err)
		}
		return b.Bytes(), nil
	}
	canon, err := s.d.Messaging.ValidateConfig(k.kind, body)
	if err != nil {
		var ae *Error
		if errors.As(err, &ae) {
			return nil, ae
		}
		return nil, &Error{Code: CodeBadRequest, Message: "invalid " + k.noun + ": " + err.Error(), Field: "body", err: err}
	}
	return canon, nil
}

// storedConfig loads an object; found is false when absent.
func (s *Server) storedConfig(ctx context.Context, kind, id string) (o store.ConfigObject, found bool, err error) {
	o, err = s.d.State.GetConfig(ctx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return o, false, nil
	}
	return o, err == nil, err
}

func (s *Server) createConfig(k configKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := readObject(r)
		if err != nil {
			return err
		}
		body, id, err := bodyID(body, "")
		if err != nil {
			return err
		}
		s.cfgMu.Lock()
		defer s.cfgMu.Unlock()
		if _, found, err := s.storedConfig(r.Context(), k.kind, id); err != nil || found {
			if found {
				return apiErr(CodeConflict, "a %s with id %q already exists; replace it with PUT /v1/%s/%s", k.noun, id, k.path, id)
			}
			return err
		}
		return s.saveConfig(w, r, k, id, body, nil, http.StatusCreated, "create")
	}
}

// saveConfig validates and stores body as (k, id) and answers status.
func (s *Server) saveConfig(w http.ResponseWriter, r *http.Request, k configKind, id string, body, stored json.RawMessage, status int, action string) error {
	body, err := s.prepareConfig(k, body, stored)
	if err != nil {
		return err
	}
	o := store.ConfigObject{Kind: k.kind, ID: id, Body: body, UpdatedAt: s.now()}
	if err := s.d.State.PutConfig(r.Context(), o); err != nil {
		return err
	}
	s.auditf(r, k.kind+"."+action, id, "")
	writeJSON(w, status, viewConfig(o))
	return nil
}

func (s *Server) listConfig(k configKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.d.State.ListConfig(r.Context(), k.kind)
		if err != nil {
			return err
		}
		out := make([]configView, len(list))
		for i, o := range list {
			out[i] = viewConfig(o)
		}
		writeJSON(w, http.StatusOK, map[string]any{k.list: out})
		return nil
	}
}

// loadConfig loads the {id} object of kind k, 404 when absent.
func (s *Server) loadConfig(r *http.Request, k configKind) (store.ConfigObject, error) {
	id := r.PathValue("id")
	o, found, err := s.storedConfig(r.Context(), k.kind, id)
	if err == nil && !found {
		err = apiErr(CodeNotFound, "no %s with id %q; list them with GET /v1/%s", k.noun, id, k.path)
	}
	return o, err
}

func (s *Server) getConfig(k configKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, err := s.loadConfig(r, k)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, viewConfig(o))
		return nil
	}
}

func (s *Server) putConfig(k configKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := readObject(r)
		if err != nil {
			return err
		}
		body, id, err := bodyID(body, r.PathValue("id"))
		if err != nil {
			return err
		}
		s.cfgMu.Lock()
		defer s.cfgMu.Unlock()
		cur, err := s.loadConfig(r, k)
		if err != nil {
			return err
		}
		return s.saveConfig(w, r, k, id, body, cur.Body, http.StatusOK, "update")
	}
}

func (s *Server) deleteConfig(k configKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		s.cfgMu.Lock()
		defer s.cfgMu.Unlock()
		o, err := s.loadConfig(r, k)
		if err != nil {
			return err
		}
		users, err := s.journeysUsing(r.Context(), k.kind, o.ID)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return apiErr(CodeConflict, "%s %s is used by the running journeys %s; change or stop them first", k.noun, o.ID, strings.Join(users, ", "))
		}
		err = s.d.State.DeleteConfig(r.Context(), k.kind, o.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) { // deleted concurrently: the outcome is the same
			return err
		}
		s.auditf(r, k.kind+".delete", o.ID, "")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
