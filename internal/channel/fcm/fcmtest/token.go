package fcmtest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	scopeFCM       = "https://www.googleapis.com/auth/firebase.messaging"
	grantJWT       = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	maxAssertion   = time.Hour
	allowedSkew    = 5 * time.Minute
	testKeyID      = "0123456789abcdef0123456789abcdef01234567"
	untrustedKeyID = "fedcba9876543210fedcba9876543210fedcba98"
)

// testKeys are the trusted key, which signs ServiceAccountJSON's
// assertions, and an untrusted one the server does not know, each with its
// PKCS #8 PEM. RSA generation is slow, so they are made once per binary.
var testKeys = sync.OnceValues(func() (*testKeyPair, error) {
	var kp testKeyPair
	for _, k := range []struct {
		key **rsa.PrivateKey
		pem *string
	}{{&kp.trusted, &kp.trustedPEM}, {&kp.untrusted, &kp.untrustedPEM}} {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		*k.key, *k.pem = key, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	return &kp, nil
})

type testKeyPair struct {
	trusted, untrusted       *rsa.PrivateKey
	trustedPEM, untrustedPEM string
}

// ClientEmail is the service account of ServiceAccountJSON.
func (s *Server) ClientEmail() string {
	return "cairn-push@" + s.ProjectID + ".iam.gserviceaccount.com"
}

// ServiceAccountJSON returns a service-account key file, as the Google
// Cloud console downloads it, whose token_uri is this server's token
// endpoint and whose key the server trusts.
func (s *Server) ServiceAccountJSON() string {
	return s.keyFile(s.keys.trustedPEM, testKeyID)
}

// UntrustedServiceAccountJSON is a key file for the same account signed
// with a key the server does not know (a deleted key, say).
func (s *Server) UntrustedServiceAccountJSON() string {
	return s.keyFile(s.keys.untrustedPEM, untrustedKeyID)
}

func (s *Server) keyFile(keyPEM, keyID string) string {
	b, _ := json.MarshalIndent(map[string]string{
		"type":                        "service_account",
		"project_id":                  s.ProjectID,
		"private_key_id":              keyID,
		"private_key":                 keyPEM,
		"client_email":                s.ClientEmail(),
		"client_id":                   "123456789012345678901",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   s.URL + "/token",
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"universe_domain":             "googleapis.com",
	}, "", "  ")
	return string(b)
}

// token implements the OAuth 2.0 token endpoint for the JWT-bearer grant:
// it verifies the assertion's RS256 signature against the trusted key of
// its iss, its aud, and that iat/exp describe at most an hour around now.
// Errors are RFC 6749 bodies as Google writes them.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request", "Could not parse the request body.")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != grantJWT {
		oauthError(w, "unsupported_grant_type", "Invalid grant_type: "+g)
		return
	}
	claims, msg := s.verify(r.PostForm.Get("assertion"))
	if msg != "" {
		oauthError(w, "invalid_grant", msg)
		return
	}
	s.mu.Lock()
	ttl := s.tokenLifetime
	tok := s.issueLocked(ttl, strings.Fields(claims.Scope))
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"expires_in":   int64(ttl / time.Second),
		"token_type":   "Bearer",
	})
}

type jwtClaims struct {
	Iss   string `json:"iss"`
	Scope string `json:"scope"`
	Aud   string `json:"aud"`
	Iat   int64  `json:"iat"`
	Exp   int64  `json:"exp"`
}

// verify returns the claims of a valid assertion, or Google's error
// description.
func (s *Server) verify(assertion string) (jwtClaims, string) {
	var c jwtClaims
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return c, "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."
	}
	var header struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
		Kid string `json:"kid"`
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &header) != nil || json.Unmarshal(cb, &c) != nil {
		return c, "Invalid JWT: could not decode the assertion."
	}
	if header.Alg != "RS256" {
		return c, "Invalid JWT: unsupported signing algorithm " + header.Alg
	}
	if c.Iss != s.ClientEmail() {
		return c, "Invalid grant: account not found"
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&s.keys.trusted.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return c, "Invalid JWT Signature."
	}
	if c.Aud != s.URL+"/token" {
		return c, "Invalid JWT: Failed audience check. The right audience is " + s.URL + "/token"
	}
	now := s.clk.Now().Unix()
	if c.Exp <= c.Iat || c.Exp-c.Iat > int64(maxAssertion/time.Second) ||
		c.Iat > now+int64(allowedSkew/time.Second) || c.Exp <= now {
		return c, "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."
	}
	if c.Scope == "" {
		return c, "Invalid OAuth scope or ID token audience provided."
	}
	return c, ""
}

func hasScope(scopes []string, want string) bool { return slices.Contains(scopes, want) }

func oauthError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}
