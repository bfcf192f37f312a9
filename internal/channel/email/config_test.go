package email

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func validConfig() Config {
	return Config{Host: "smtp.example.com", From: "news@example.com"}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	caFile := filepath.Join(t.TempDir(), "not-a-ca.pem")
	require.NoError(t, os.WriteFile(caFile, []byte("hello"), 0o600))
	tests := []struct {
		name string
		edit func(*Config)
		want []string // substrings of the error; none means valid
	}{
		{name: "minimal", edit: func(*Config) {}},
		{name: "everything", edit: func(c *Config) {
			c.Port, c.TLS, c.Username, c.Password = 465, TLSImplicit, "u", "p"
			c.FromName, c.ReplyTo, c.EnvelopeFrom, c.HeloName = "News", "Help <help@example.com>", "bounces@example.com", "mail.example.com"
			c.Timeout, c.MessageIDDomain = Duration(time.Second), "mail.example.com"
			c.DKIM = DKIMConfig{Domain: "example.com", Selector: "s1", PrivateKeyPEM: testEd25519Key(t).pem}
		}},
		{name: "auth in clear text to localhost", edit: func(c *Config) { c.Host, c.TLS, c.Username, c.Password = "127.0.0.1", TLSNone, "u", "p" }},
		{name: "ipv6 host", edit: func(c *Config) { c.Host = "::1" }},
		{name: "no host", edit: func(c *Config) { c.Host = " " }, want: []string{"host is empty", "smtp.example.com"}},
		{name: "host with port", edit: func(c *Config) { c.Host = "smtp.example.com:587" }, want: []string{"port in port"}},
		{name: "port out of range", edit: func(c *Config) { c.Port = 70000 }, want: []string{"port 70000", "587 starttls"}},
		{name: "unknown tls mode", edit: func(c *Config) { c.TLS = "ssl" }, want: []string{`tls "ssl"`, `"starttls"`}},
		{name: "username without password", edit: func(c *Config) { c.Username = "u" }, want: []string{"set together"}},
		{name: "password in clear text", edit: func(c *Config) { c.TLS, c.Username, c.Password = TLSNone, "u", "p" }, want: []string{"clear text"}},
		{name: "missing ca file", edit: func(c *Config) { c.CAFile = filepath.Join(t.TempDir(), "nope.pem") }, want: []string{"ca_file", "read CA bundle"}},
		{name: "ca file without certificates", edit: func(c *Config) { c.CAFile = caFile }, want: []string{"no PEM certificate"}},
		{name: "no from", edit: func(c *Config) { c.From = "" }, want: []string{"from is empty"}},
		{name: "from with display name", edit: func(c *Config) { c.From = "News <news@example.com>" }, want: []string{"from_name"}},
		{name: "from not an address", edit: func(c *Config) { c.From = "news" }, want: []string{"not an email address"}},
		{name: "bad reply-to", edit: func(c *Config) { c.ReplyTo = "help" }, want: []string{"reply_to"}},
		{name: "bad envelope from", edit: func(c *Config) { c.EnvelopeFrom = "x" }, want: []string{"envelope_from"}},
		{name: "from name with line break", edit: func(c *Config) { c.FromName = "a\nb" }, want: []string{"from_name"}},
		{name: "helo with space", edit: func(c *Config) { c.HeloName = "my host" }, want: []string{"helo_name"}},
		{name: "negative timeout", edit: func(c *Config) { c.Timeout = Duration(-time.Second) }, want: []string{"timeout"}},
		{name: "bad message id domain", edit: func(c *Config) { c.MessageIDDomain = "exa mple" }, want: []string{"message_id_domain"}},
		{name: "dkim incomplete", edit: func(c *Config) { c.DKIM.Domain = "example.com" }, want: []string{"dkim.selector", "dkim.private_key_pem is empty"}},
		{name: "dkim bad key", edit: func(c *Config) { c.DKIM = DKIMConfig{Domain: "example.com", Selector: "s1", PrivateKeyPEM: "nope"} }, want: []string{"dkim.private_key_pem", "no PEM block"}},
		{name: "several problems at once", edit: func(c *Config) { c.Host, c.From = "", "" }, want: []string{"host is empty", "from is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validConfig()
			tt.edit(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				require.NoError(t, err)
				_, err := New(c, nil)
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.want {
				require.ErrorContains(t, err, w)
			}
			_, err = New(c, nil)
			require.Error(t, err, "New refuses what Validate refuses")
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode     TLSMode
		wantPort int
	}{
		{"", 587}, {TLSStartTLS, 587}, {TLSImplicit, 465}, {TLSNone, 25},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			t.Parallel()
			c := validConfig()
			c.TLS = tt.mode
			d := c.withDefaults()
			require.Equal(t, tt.wantPort, d.Port)
			require.NotEmpty(t, d.TLS)
			require.Equal(t, "news@example.com", d.EnvelopeFrom)
			require.Equal(t, "example.com", d.MessageIDDomain)
			require.Equal(t, Duration(DefaultTimeout), d.Timeout)
			require.NotEmpty(t, d.HeloName)
		})
	}
}

func TestConfigJSON(t *testing.T) {
	t.Parallel()
	raw := `{"host":"smtp.example.com","port":2525,"tls":"none","from":"news@example.com","timeout":"45s",
		"dkim":{"domain":"example.com","selector":"s1","private_key_pem":"x"},"message_id_domain":"m.example.com"}`
	var c Config
	require.NoError(t, json.Unmarshal([]byte(raw), &c))
	require.Equal(t, Duration(45*time.Second), c.Timeout)
	require.Equal(t, TLSNone, c.TLS)
	require.Equal(t, "s1", c.DKIM.Selector)
	require.Equal(t, "m.example.com", c.MessageIDDomain)

	var secs Config
	require.NoError(t, json.Unmarshal([]byte(`{"timeout":90}`), &secs))
	require.Equal(t, Duration(90*time.Second), secs.Timeout)
	require.Error(t, json.Unmarshal([]byte(`{"timeout":"soon"}`), &secs))

	out, err := json.Marshal(Config{Host: "h", From: "f@example.com", Timeout: Duration(time.Minute)})
	require.NoError(t, err)
	require.JSONEq(t, `{"host":"h","from":"f@example.com","timeout":"1m0s"}`, string(out))
}

func TestConfigLogValueHidesSecrets(t *testing.T) {
	t.Parallel()
	c := validConfig()
	c.Password = "hunter2"
	c.DKIM.PrivateKeyPEM = "-----BEGIN PRIVATE KEY-----secret"
	s := c.LogValue().String()
	require.NotContains(t, s, "hunter2")
	require.NotContains(t, s, "secret")
	require.Contains(t, s, "smtp.example.com")
}
