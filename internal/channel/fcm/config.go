package fcm

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Defaults of Config.
const (
	DefaultBaseURL  = "https://fcm.googleapis.com"
	DefaultTokenURL = "https://oauth2.googleapis.com/token"
	// Scope is the OAuth scope FCM sends need.
	Scope = "https://www.googleapis.com/auth/firebase.messaging"
)

// Config is one Firebase project. Set exactly one of AccessToken and
// CredentialsJSON.
type Config struct {
	// BaseURL of the FCM API. Default DefaultBaseURL.
	BaseURL string `json:"base_url,omitempty"`
	// ProjectID is the Firebase project; defaults to the credentials'
	// project_id.
	ProjectID string `json:"project_id,omitempty"`
	// AccessToken is a bearer token used as it is.
	AccessToken string `json:"access_token,omitempty"`
	// CredentialsJSON is the content of a service-account key file.
	CredentialsJSON string `json:"credentials_json,omitempty"`
	// TokenURL overrides the key file's token_uri (DefaultTokenURL when
	// the file has none).
	TokenURL string `json:"token_url,omitempty"`
	// CollapseRepeats tags each notification with a digest of its send key
	// (android.notification.tag, apns-collapse-id, webpush
	// notification.tag), so a push repeated after a crash replaces the
	// first on the device instead of showing twice. It takes over those
	// fields, so leave it off if the app sets its own tags.
	CollapseRepeats bool `json:"collapse_repeats,omitempty"`
}

// ServiceAccount is the part of a service-account key file the JWT-bearer
// flow needs.
type ServiceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

// ParseServiceAccount reads a key file and its RSA private key (PKCS #8,
// as Google issues them, or PKCS #1).
func ParseServiceAccount(keyFile []byte) (ServiceAccount, *rsa.PrivateKey, error) {
	var sa ServiceAccount
	if err := json.Unmarshal(keyFile, &sa); err != nil {
		return sa, nil, fmt.Errorf("parse service account key: %w", err)
	}
	if sa.Type != "service_account" {
		return sa, nil, fmt.Errorf("parse service account key: type %q, want service_account", sa.Type)
	}
	if sa.ClientEmail == "" {
		return sa, nil, errors.New("parse service account key: no client_email")
	}
	block, _ := pem.Decode([]byte(sa.PrivateKey))
	if block == nil {
		return sa, nil, errors.New("parse service account key: private_key is not PEM")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return sa, nil, errors.New("parse service account key: private_key is not RSA")
		}
		key = rk
	} else if k, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 == nil {
		key = k
	} else {
		return sa, nil, fmt.Errorf("parse service account key: %w", err)
	}
	return sa, key, nil
}

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

// resolved is a validated Config with defaults and the parsed key.
type resolved struct {
	Config
	sa  ServiceAccount
	key *rsa.PrivateKey
}

func (c Config) resolve() (resolved, error) {
	r := resolved{Config: c}
	switch {
	case c.AccessToken != "" && c.CredentialsJSON != "":
		return r, errors.New("fcm config: set access token or credentials, not both")
	case c.AccessToken == "" && c.CredentialsJSON == "":
		return r, errors.New("fcm config: access token or credentials required")
	case c.CredentialsJSON != "":
		sa, key, err := ParseServiceAccount([]byte(c.CredentialsJSON))
		if err != nil {
			return r, fmt.Errorf("fcm config: %w", err)
		}
		r.sa, r.key = sa, key
		if r.ProjectID == "" {
			r.ProjectID = sa.ProjectID
		}
		if r.TokenURL == "" {
			r.TokenURL = sa.TokenURI
		}
		if r.TokenURL == "" {
			r.TokenURL = DefaultTokenURL
		}
	}
	if r.ProjectID == "" {
		return r, errors.New("fcm config: project id required")
	}
	if strings.ContainsAny(r.ProjectID, "/?#% ") {
		return r, fmt.Errorf("fcm config: project id %q is not a project id", r.ProjectID)
	}
	if r.BaseURL == "" {
		r.BaseURL = DefaultBaseURL
	}
	r.BaseURL = strings.TrimRight(r.BaseURL, "/")
	for name, raw := range map[string]string{"base url": r.BaseURL, "token url": r.TokenURL} {
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return r, fmt.Errorf("fcm config: %s %q is not an absolute http(s) url", name, raw)
		}
	}
	return r, nil
}
