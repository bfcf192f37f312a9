package twilio

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// DefaultBaseURL is Twilio's REST API.
const DefaultBaseURL = "https://api.twilio.com"

// Config is one Twilio account and sender.
type Config struct {
	// BaseURL of the API. Default DefaultBaseURL; tests point it at
	// twiliotest.
	BaseURL string `json:"base_url,omitempty"`
	// AccountSID is the account (AC followed by 32 hex digits).
	AccountSID string `json:"account_sid"`
	// AuthToken authenticates requests unless an API key is set, and is
	// the key of status callback signatures either way.
	AuthToken string `json:"auth_token,omitempty"`
	// APIKeySID and APIKeySecret, when set, authenticate instead of the
	// Auth Token (Twilio's recommended practice for production).
	APIKeySID    string `json:"api_key_sid,omitempty"`
	APIKeySecret string `json:"api_key_secret,omitempty"`
	// From is the sending number (E.164), short code or alphanumeric
	// sender ID. One of From and MessagingServiceSID is required.
	From string `json:"from,omitempty"`
	// MessagingServiceSID sends through a Messaging Service (MG...), which
	// picks the sender; it wins over From when both are set.
	MessagingServiceSID string `json:"messaging_service_sid,omitempty"`
	// StatusCallbackURL receives delivery status callbacks. Optional.
	StatusCallbackURL string `json:"status_callback_url,omitempty"`
	// InboundURL is where the account's numbers send customers' replies
	// (STOP/START keywords become unsubscribes). Optional.
	InboundURL string `json:"inbound_url,omitempty"`
}

var (
	accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySIDPattern  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	serviceSIDPattern = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)
)

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	if !accountSIDPattern.MatchString(c.AccountSID) {
		return errors.New("twilio config: account sid must be AC followed by 32 hex digits")
	}
	switch {
	case c.APIKeySID != "" || c.APIKeySecret != "":
		if !apiKeySIDPattern.MatchString(c.APIKeySID) || c.APIKeySecret == "" {
			return errors.New("twilio config: an api key needs a sid (SK followed by 32 hex digits) and a secret")
		}
	case c.AuthToken == "":
		return errors.New("twilio config: auth token or api key is required")
	}
	if c.From == "" && c.MessagingServiceSID == "" {
		return errors.New("twilio config: from or messaging service sid is required")
	}
	if c.MessagingServiceSID != "" && !serviceSIDPattern.MatchString(c.MessagingServiceSID) {
		return errors.New("twilio config: messaging service sid must be MG followed by 32 hex digits")
	}
	for name, raw := range map[string]string{"base url": c.BaseURL, "status callback url": c.StatusCallbackURL, "inbound url": c.InboundURL} {
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("twilio config: %s %q is not an absolute http(s) url", name, raw)
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// credentials returns the Basic auth pair.
func (c Config) credentials() (user, pass string) {
	if c.APIKeySID != "" {
		return c.APIKeySID, c.APIKeySecret
	}
	return c.AccountSID, c.AuthToken
}

func (c Config) messagesURL() string {
	return c.BaseURL + "/2010-04-01/Accounts/" + c.AccountSID + "/Messages.json"
}
