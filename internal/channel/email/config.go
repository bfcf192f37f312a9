package email

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"strings"
	"time"
)

// TLSMode is how the connection to the SMTP server is encrypted.
type TLSMode string

// TLS modes.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS before
	// anything else is sent (RFC 3207). It is mandatory: a server that does
	// not offer STARTTLS is an error, never a silent downgrade. Default
	// port 587 (submission).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (RFC 8314). Default port
	// 465 (submissions).
	TLSImplicit TLSMode = "tls"
	// TLSNone sends everything in clear text. Only for a relay on the same
	// host or a private network. Default port 25.
	TLSNone TLSMode = "none"
)

// DefaultTimeout bounds one message's whole SMTP conversation when
// Config.Timeout is zero.
const DefaultTimeout = time.Minute

// Config configures the SMTP sender.
type Config struct {
	Host string `json:"host"`           // SMTP relay host name or IP
	Port int    `json:"port,omitempty"` // 0: 587 for starttls, 465 for tls, 25 for none
	// Username and Password are for AUTH (PLAIN, or LOGIN when the server
	// offers only that); both empty means no AUTH.
	Username string  `json:"username,omitempty"`
	Password string  `json:"password,omitempty"`
	TLS      TLSMode `json:"tls,omitempty"` // "starttls" (default), "tls" or "none"
	// CAFile is a PEM bundle of root CAs to trust instead of the system
	// pool, for a relay with a private CA (and tests).
	CAFile string `json:"ca_file,omitempty"`

	From     string `json:"from"`                // header From address, e.g. news@example.com
	FromName string `json:"from_name,omitempty"` // display name, e.g. "Example News"
	ReplyTo  string `json:"reply_to,omitempty"`  // Reply-To address; a message's Reply-To header overrides it
	// EnvelopeFrom is the SMTP MAIL FROM (Return-Path) address, where
	// bounces (DSNs) are delivered; empty means From.
	EnvelopeFrom string `json:"envelope_from,omitempty"`
	// HeloName is the name given in EHLO; empty means the host name of
	// this machine.
	HeloName string `json:"helo_name,omitempty"`
	// Timeout bounds one message's whole SMTP conversation, connect to
	// QUIT ("30s", "2m"); 0 means DefaultTimeout. A context deadline that
	// comes sooner wins.
	Timeout Duration `json:"timeout,omitempty"`

	DKIM DKIMConfig `json:"dkim,omitzero"`
	// MessageIDDomain is the right-hand side of every Message-ID; empty
	// means the domain of From.
	MessageIDDomain string `json:"message_id_domain,omitempty"`
}

// DKIMConfig turns on DKIM signing (RFC 6376) when all three fields are set.
type DKIMConfig struct {
	Domain   string `json:"domain"`   // d=, the signing domain; should be From's domain or a parent of it (DMARC alignment)
	Selector string `json:"selector"` // s=; the public key is published at <selector>._domainkey.<domain>
	// PrivateKeyPEM is the RSA (PKCS#1 or PKCS#8, 1024 bits at least;
	// 2048 recommended) or Ed25519 (PKCS#8) private key in PEM form.
	PrivateKeyPEM string `json:"private_key_pem"`
}

// Enabled tells whether any DKIM field is set.
func (d DKIMConfig) Enabled() bool {
	return d.Domain != "" || d.Selector != "" || d.PrivateKeyPEM != ""
}

// Validate reports every problem with c at once, each saying what is wrong
// and how to fix it. A nil result means New will accept c.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	host := strings.TrimSpace(c.Host)
	switch {
	case host == "":
		bad("host is empty: set it to your SMTP relay, e.g. smtp.example.com")
	case strings.ContainsAny(host, " :/") && net.ParseIP(host) == nil:
		bad("host %q is not a host name: give the name or IP alone and the port in port", c.Host)
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("port %d is out of range: use 1-65535, or 0 for the default of the tls mode (587 starttls, 465 tls, 25 none)", c.Port)
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSNone:
	default:
		bad("tls %q is not a mode: use \"starttls\" (port 587), \"tls\" (port 465) or \"none\"", c.TLS)
	}
	if (c.Username == "") != (c.Password == "") {
		bad("username and password must be set together: set both for AUTH, or neither")
	}
	if c.Username != "" && c.TLS == TLSNone && !isLoopback(host) {
		bad("username is set with tls \"none\": the password would cross the network in clear text; use tls \"starttls\" or \"tls\" (or a relay on localhost)")
	}
	if c.CAFile != "" {
		if _, err := loadCAFile(c.CAFile); err != nil {
			bad("ca_file: %w", err)
		}
	}
	if c.From == "" {
		bad("from is empty: set the sender address, e.g. news@example.com")
	} else if err := bareAddress(c.From); err != nil {
		bad("from %q: %w", c.From, err)
	}
	if c.ReplyTo != "" {
		if _, err := mail.ParseAddress(c.ReplyTo); err != nil {
			bad("reply_to %q is not an email address: %w", c.ReplyTo, err)
		}
	}
	if c.EnvelopeFrom != "" {
		if err := bareAddress(c.EnvelopeFrom); err != nil {
			bad("envelope_from %q: %w", c.EnvelopeFrom, err)
		}
	}
	if strings.ContainsAny(c.FromName, "\r\n") {
		bad("from_name contains a line break: use a single line")
	}
	if c.HeloName != "" && strings.ContainsAny(c.HeloName, " \t\r\n") {
		bad("helo_name %q contains white space: use a host name such as mail.example.com", c.HeloName)
	}
	if c.Timeout < 0 {
		bad("timeout %s is negative: use a positive duration such as \"30s\", or leave it out for %s", time.Duration(c.Timeout), DefaultTimeout)
	}
	if c.MessageIDDomain != "" && !validDomain(c.MessageIDDomain) {
		bad("message_id_domain %q is not a domain name: use one such as example.com", c.MessageIDDomain)
	}
	if c.DKIM.Enabled() {
		errs = append(errs, c.DKIM.validate()...)
	}
	return errors.Join(errs...)
}

func (d DKIMConfig) validate() []error {
	var errs []error
	if d.Domain == "" || !validDomain(d.Domain) {
		errs = append(errs, fmt.Errorf("dkim.domain %q is not a domain name: set the signing domain, e.g. example.com", d.Domain))
	}
	if d.Selector == "" || !validDomain(d.Selector) {
		errs = append(errs, fmt.Errorf("dkim.selector %q is not a selector: set the DNS label under _domainkey, e.g. cairn2026", d.Selector))
	}
	if d.PrivateKeyPEM == "" {
		errs = append(errs, errors.New("dkim.private_key_pem is empty: paste the PEM private key whose public key is published in DNS, or remove the dkim section"))
	} else if _, err := parseDKIMKey(d.PrivateKeyPEM); err != nil {
		errs = append(errs, fmt.Errorf("dkim.private_key_pem: %w", err))
	}
	return errs
}

// withDefaults fills the documented defaults into a valid c.
func (c Config) withDefaults() Config {
	c.Host = strings.TrimSpace(c.Host)
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		switch c.TLS {
		case TLSImplicit:
			c.Port = 465
		case TLSNone:
			c.Port = 25
		default:
			c.Port = 587
		}
	}
	if c.EnvelopeFrom == "" {
		c.EnvelopeFrom = c.From
	}
	if c.HeloName == "" {
		c.HeloName = "localhost"
		if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \t\r\n") {
			c.HeloName = h
		}
	}
	if c.Timeout == 0 {
		c.Timeout = Duration(DefaultTimeout)
	}
	if c.MessageIDDomain == "" {
		c.MessageIDDomain = domainOf(c.From)
	}
	return c
}

// LogValue keeps the password and the DKIM key out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("tls", string(c.TLS)),
		slog.String("username", c.Username),
		slog.Bool("password_set", c.Password != ""),
		slog.String("from", c.From),
		slog.String("dkim_domain", c.DKIM.Domain),
		slog.String("dkim_selector", c.DKIM.Selector),
	)
}

// bareAddress accepts a plain address (no display name).
func bareAddress(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Errorf("not an email address: %w", err)
	}
	if a.Name != "" || a.Address != strings.TrimSpace(s) {
		return errors.New("give the bare address (user@example.com), and a display name in from_name")
	}
	return nil
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return strings.ToLower(d)
}

// validDomain accepts dot-separated labels of letters, digits, '-' and '_'.
func validDomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loadCAFile(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA bundle: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate: give a file of -----BEGIN CERTIFICATE----- blocks", path)
	}
	return pool, nil
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("30s", "1m30s"); a bare number is read as seconds.
type Duration time.Duration

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: use a form such as \"30s\" or \"2m\": %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration %s: use a string such as \"30s\" or a number of seconds", b)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}
