package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/store"
)

// getMessagingSettings is GET /v1/settings/messaging; {} before the first PUT.
func (s *Server) getMessagingSettings(w http.ResponseWriter, r *http.Request) error {
	o, found, err := s.storedConfig(r.Context(), ConfigSettings, SettingsMessaging)
	if err != nil {
		return err
	}
	if !found {
		o = store.ConfigObject{Kind: ConfigSettings, ID: SettingsMessaging, Body: json.RawMessage(`{}`)}
	}
	writeJSON(w, http.StatusOK, viewConfig(o))
	return nil
}

// putMessagingSettings is PUT /v1/settings/messaging: replaces the settings, keeping redacted secrets.
func (s *Server) putMessagingSettings(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(r)
	if err != nil {
		return err
	}
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	cur, _, err := s.storedConfig(r.Context(), ConfigSettings, SettingsMessaging)
	if err != nil {
		return err
	}
	return s.saveConfig(w, r, settingsKind, SettingsMessaging, body, cur.Body, http.StatusOK, "update")
}
