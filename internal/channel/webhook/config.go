package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Config is one webhook destination. Zero values take the defaults.
type Config struct {
	// URL receives the requests unless Message.To names another URL.
	// Optional when every message carries its own.
	URL string `json:"url,omitempty"`
	// Method is the HTTP method. Default POST.
	Method string `json:"method,omitempty"`
	// Headers are added to every request (for example an API key). They
	// cannot replace Content-Type, Idempotency-Key or X-Cairn-Signature.
	Headers map[string]string `json:"headers,omitempty"`
	// Secret signs each request (X-Cairn-Signature). Empty sends no
	// signature.
	Secret string `json:"secret,omitempty"`
	// Timeout bounds one request, response body included. Default 10 s.
	Timeout time.Duration `json:"timeout,omitempty"`
	// MaxResponseBytes caps the response body kept in Receipt.Response.
	// Default 64 KiB.
	MaxResponseBytes int64 `json:"max_response_bytes,omitempty"`
}

// Defaults of Config.
const (
	DefaultMethod           = http.MethodPost
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 64 << 10
)

// Validate reports settings that make no sense.
func (c Config) Validate() error {
	if c.URL != "" {
		if err := checkURL(c.URL); err != nil {
			return fmt.Errorf("webhook config: %w", err)
		}
	}
	switch c.Method {
	case "", http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet, http.MethodDelete:
	default:
		return fmt.Errorf("webhook config: unsupported method %q", c.Method)
	}
	if c.Timeout < 0 || c.MaxResponseBytes < 0 {
		return errors.New("webhook config: timeout and max response bytes must not be negative")
	}
	for k := range c.Headers {
		if reservedHeader(k) {
			return fmt.Errorf("webhook config: header %s is set by cairn", k)
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Method == "" {
		c.Method = DefaultMethod
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return c
}

// checkURL accepts absolute http and https URLs only.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %s is not an absolute http(s) url", redact(u))
	}
	return nil
}

// redact drops the query and credentials of u: webhook URLs often carry
// tokens there, and the result goes into errors and logs.
func redact(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

func reservedHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Content-Type", "Idempotency-Key", SignatureHeader, "Content-Length", "Host":
		return true
	}
	return false
}
