package email

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
)

// testKey is a DKIM key pair: the private key as Config takes it and the
// DNS TXT record a verifier would look up.
type testKey struct {
	pem string
	txt string
}

var (
	rsaKeyOnce sync.Once
	rsaKey     testKey
)

// testRSAKey makes one 2048-bit key for the whole test binary (generating
// it is the slow part).
func testRSAKey(tb testing.TB) testKey {
	tb.Helper()
	rsaKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		rsaKey = keyPair(tb, k, "rsa")
	})
	return rsaKey
}

func testEd25519Key(tb testing.TB) testKey {
	tb.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(tb, err)
	return keyPair(tb, k, "ed25519")
}

func keyPair(tb testing.TB, k crypto.Signer, algo string) testKey {
	var block *pem.Block
	var pub []byte
	switch key := k.(type) {
	case *rsa.PrivateKey:
		block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
		der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		require.NoError(tb, err)
		pub = der
	case ed25519.PrivateKey:
		der, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(tb, err)
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
		pub = key.Public().(ed25519.PublicKey)
	}
	return testKey{
		pem: string(pem.EncodeToMemory(block)),
		txt: fmt.Sprintf("v=DKIM1; k=%s; p=%s", algo, base64.StdEncoding.EncodeToString(pub)),
	}
}

// verifyDKIM verifies data's signatures against the one published key.
func verifyDKIM(tb testing.TB, data []byte, key testKey) []*dkim.Verification {
	tb.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(data), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "cairn2026._domainkey.example.com" {
				return nil, fmt.Errorf("no TXT record at %s", domain)
			}
			return []string{key.txt}, nil
		},
	})
	require.NoError(tb, err)
	return vs
}

func TestSendDKIMSignatureVerifies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		key  func(testing.TB) testKey
	}{
		{"rsa-sha256", testRSAKey},
		{"ed25519-sha256", testEd25519Key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key := tt.key(t)
			srv := emailtest.Start(t)
			cfg := testConfig(srv)
			cfg.DKIM = DKIMConfig{Domain: "example.com", Selector: "cairn2026", PrivateKeyPEM: key.pem}
			s := newTestSender(t, cfg)
			m := testMessage("j1:v1:i1:dkim:0")
			m.UnsubscribeURL = "https://cairn.example.com/u/tok"
			_, err := s.Send(t.Context(), m)
			require.NoError(t, err)
			got := srv.Messages()
			require.Len(t, got, 1)
			data := got[0].Data

			vs := verifyDKIM(t, data, key)
			require.Len(t, vs, 1)
			require.NoError(t, vs[0].Err)
			require.Equal(t, "example.com", vs[0].Domain)
			for _, h := range []string{"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", KeyHeader} {
				require.Contains(t, vs[0].HeaderKeys, h, "the signature covers %s", h)
			}

			// The signature fails when a signed header or the body changes.
			tampered := map[string][]byte{
				"subject":     bytes.Replace(data, []byte("Subject: Welcome, Ann"), []byte("Subject: Welcome, Bob"), 1),
				"unsubscribe": bytes.Replace(data, []byte("/u/tok"), []byte("/u/evil"), 1),
				"key":         bytes.Replace(data, []byte("j1:v1:i1:dkim:0"), []byte("j1:v1:i1:dkim:1"), 1),
				"body":        bytes.Replace(data, []byte("welcome aboard"), []byte("welcome abroad"), 1),
			}
			for what, b := range tampered {
				require.NotEqual(t, data, b, "tampering with %s changed nothing", what)
				vs := verifyDKIM(t, b, key)
				require.Len(t, vs, 1)
				require.Error(t, vs[0].Err, "tampered %s still verifies", what)
			}
		})
	}
}

func TestDKIMKeyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		pem  string
		want string
	}{
		{"not pem", "hello", "no PEM block"},
		{"certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a private key"},
		{"garbage der", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "parse PRIVATE KEY"},
		{"ecdsa is not a dkim algorithm", ecdsaPEM(t), "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseDKIMKey(tt.pem)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func ecdsaPEM(tb testing.TB) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(tb, err)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(tb, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func BenchmarkBuildSigned(b *testing.B) {
	key := testRSAKey(b)
	s, err := New(Config{
		Host: "smtp.example.com", From: "news@example.com", FromName: "Example News",
		DKIM: DKIMConfig{Domain: "example.com", Selector: "cairn2026", PrivateKeyPEM: key.pem},
	}, nil)
	require.NoError(b, err)
	m := testMessage("j1:v1:i1:bench:0")
	m.UnsubscribeURL = "https://cairn.example.com/u/tok"
	m.HTML = string(bytes.Repeat([]byte("<p>Spring is here, and so is our sale. </p>\n"), 100))
	m.Text = string(bytes.Repeat([]byte("Spring is here, and so is our sale.\n"), 100))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Build(m); err != nil {
			b.Fatal(err)
		}
	}
}
