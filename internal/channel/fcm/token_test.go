package fcm

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil
	}
	return k
})

func keyFile(t testing.TB, pemType string, der []byte, mutate func(map[string]any)) []byte {
	t.Helper()
	m := map[string]any{
		"type":           "service_account",
		"project_id":     "proj",
		"private_key_id": "kid1",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})),
		"client_email":   "push@proj.iam.gserviceaccount.com",
		"token_uri":      "https://oauth2.googleapis.com/token",
	}
	if mutate != nil {
		mutate(m)
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestParseServiceAccount(t *testing.T) {
	t.Parallel()
	key := testKey()
	require.NotNil(t, key)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	pkcs1 := x509.MarshalPKCS1PrivateKey(key)
	tests := []struct {
		name    string
		file    []byte
		wantErr string
	}{
		{name: "pkcs8 as google issues", file: keyFile(t, "PRIVATE KEY", pkcs8, nil)},
		{name: "pkcs1", file: keyFile(t, "RSA PRIVATE KEY", pkcs1, nil)},
		{name: "user credentials", file: keyFile(t, "PRIVATE KEY", pkcs8, func(m map[string]any) { m["type"] = "authorized_user" }), wantErr: "type"},
		{name: "no email", file: keyFile(t, "PRIVATE KEY", pkcs8, func(m map[string]any) { delete(m, "client_email") }), wantErr: "client_email"},
		{name: "not pem", file: keyFile(t, "PRIVATE KEY", pkcs8, func(m map[string]any) { m["private_key"] = "abc" }), wantErr: "PEM"},
		{name: "garbage der", file: keyFile(t, "PRIVATE KEY", []byte("garbage"), nil), wantErr: "parse"},
		{name: "not json", file: []byte("{"), wantErr: "parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sa, k, err := ParseServiceAccount(tc.file)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "push@proj.iam.gserviceaccount.com", sa.ClientEmail)
			require.Equal(t, "proj", sa.ProjectID)
			require.True(t, key.Equal(k))
		})
	}
}

func FuzzParseServiceAccount(f *testing.F) {
	f.Add([]byte(`{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`))
	f.Add([]byte(`{"type":"service_account","client_email":"a@b","private_key":""}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sa, key, err := ParseServiceAccount(b)
		if err != nil {
			require.Nil(t, key)
			return
		}
		require.NotNil(t, key)
		require.NotEmpty(t, sa.ClientEmail)
	})
}

// TestAssertion checks the JWT against Google's service-account
// documentation: RS256 header with kid, claims iss/scope/aud/iat/exp, exp
// one hour after iat, base64url without padding.
func TestAssertion(t *testing.T) {
	t.Parallel()
	key := testKey()
	require.NotNil(t, key)
	src := &serviceAccountTokens{
		sa:       ServiceAccount{ClientEmail: "push@proj.iam.gserviceaccount.com", PrivateKeyID: "kid1"},
		key:      key,
		tokenURL: "https://oauth2.googleapis.com/token",
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	jwt, err := src.assertion(at)
	require.NoError(t, err)
	require.NotContains(t, jwt, "=")
	parts := strings.Split(jwt, ".")
	require.Len(t, parts, 3)

	var header map[string]string
	var claims map[string]any
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(hb, &header))
	cb, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(cb, &claims))
	require.Equal(t, map[string]string{"alg": "RS256", "typ": "JWT", "kid": "kid1"}, header)
	require.Equal(t, map[string]any{
		"iss":   "push@proj.iam.gserviceaccount.com",
		"scope": "https://www.googleapis.com/auth/firebase.messaging",
		"aud":   "https://oauth2.googleapis.com/token",
		"iat":   float64(at.Unix()),
		"exp":   float64(at.Add(time.Hour).Unix()),
	}, claims)

	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig))
	digest[0] ^= 1
	require.Error(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig))
}
