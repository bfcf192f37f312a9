package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/cairn-cdp/cairn/internal/store"
)

// Messaging validates messaging configuration and sends outside journeys.
// Errors that the request caused wrap ErrInvalidInput (see there).
type Messaging interface {
	// ValidateConfig checks a config body of a kind (template, channel,
	// subscription_group, frequency_rule, settings) and returns its
	// canonical form; an error is shown as a 400 with its message.
	ValidateConfig(kind string, body json.RawMessage) (json.RawMessage, error)
	// Preview renders a stored template (templateID) or an inline one for
	// a profile ("" for none) with extra data.
	Preview(ctx context.Context, templateID string, inline json.RawMessage, profileID string, data map[string]any) (any, error)
	// Send queues a transactional send; req.Profile is a resolved profile id.
	Send(ctx context.Context, req TransactionalSend) (store.Send, error)
}

// TransactionalSend is the body of POST /v1/messages. Profile is a profile
// reference (type:value or a profile id); the API resolves it to the
// profile id before calling Messaging.Send.
type TransactionalSend struct {
	Template      string         `json:"template"`
	Profile       string         `json:"profile"`
	Data          map[string]any `json:"data,omitempty"`
	Transactional bool           `json:"transactional"`
	Key           string         `json:"idempotency_key,omitempty"`
}

func errNoMessaging(what string) error {
	return apiErr(CodeMessagingUnavailable, "messaging is not configured on this server, so %s is not possible", what)
}

// previewRequest is the body of the preview endpoints; Template is only
// for POST /v1/templates/preview (an inline template, not saved).
type previewRequest struct {
	Template json.RawMessage `json:"template,omitempty"`
	Profile  string          `json:"profile,omitempty"`
	Data     map[string]any  `json:"data,omitempty"`
}

// previewTemplate is POST /v1/templates/{id}/preview.
func (s *Server) previewTemplate(w http.ResponseWriter, r *http.Request) error {
	if s.d.Messaging == nil {
		return errNoMessaging("previewing a template")
	}
	var req previewRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if len(req.Template) > 0 {
		return badField("template", "this endpoint previews the saved template %q; to preview an unsaved one use POST /v1/templates/preview", r.PathValue("id"))
	}
	o, err := s.loadConfig(r, templateKind)
	if err != nil {
		return err
	}
	return s.preview(w, r, o.ID, nil, req)
}

// previewInline is POST /v1/templates/preview with {"template": {...}}.
func (s *Server) previewInline(w http.ResponseWriter, r *http.Request) error {
	if s.d.Messaging == nil {
		return errNoMessaging("previewing a template")
	}
	var req previewRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if t := strings.TrimSpace(string(req.Template)); t == "" || t[0] != '{' {
		return badField("template", "send the template to preview as a JSON object in \"template\"; to preview a saved one use POST /v1/templates/{id}/preview")
	}
	return s.preview(w, r, "", req.Template, req)
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, templateID string, inline json.RawMessage, req previewRequest) error {
	pid := ""
	if strings.TrimSpace(req.Profile) != "" {
		var err error
		if pid, err = s.bodyProfile(r.Context(), "profile", req.Profile); err != nil {
			return err
		}
	}
	out, err := s.d.Messaging.Preview(r.Context(), templateID, inline, pid, req.Data)
	if err != nil {
		return dependencyErr(err, CodeRenderFailed, "preview template "+templateID)
	}
	writeJSON(w, http.StatusOK, map[string]any{"template_id": templateID, "profile_id": pid, "preview": out})
	return nil
}

// sendMessage is POST /v1/messages: one transactional send, queued.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	if s.d.Messaging == nil {
		return errNoMessaging("sending a message")
	}
	var req TransactionalSend
	if err := decode(r, &req); err != nil {
		return err
	}
	req.Template = strings.TrimSpace(req.Template)
	if req.Template == "" {
		return badField("template", "template is required: the id of a saved template")
	}
	if req.Key == "" {
		req.Key = strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	}
	pid, err := s.bodyProfile(r.Context(), "profile", req.Profile)
	if err != nil {
		return err
	}
	req.Profile = pid
	sd, err := s.d.Messaging.Send(r.Context(), req)
	if err != nil {
		return dependencyErr(err, CodeInvalid, "send template "+req.Template+" to "+pid)
	}
	writeJSON(w, http.StatusAccepted, sd)
	return nil
}
