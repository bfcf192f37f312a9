package policy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// UnsubClaims is what a signed unsubscribe link carries.
type UnsubClaims struct {
	ProfileID string
	GroupID   string // subscription group; empty for "all messages on Channel"
	Channel   string
	Key       string // send key of the message the link was in (attribution)
}

const (
	tokenVersion  = 1
	tokenKeyLabel = "cairn/unsubscribe-token/v1"
	// maxTokenLen bounds the work Parse does on input from a URL.
	maxTokenLen = 4096
)

var b64 = base64.RawURLEncoding.Strict()

// UnsubscribeToken signs c into a compact URL-safe token:
// base64url(payload) "." base64url(HMAC-SHA256). The payload is a version
// byte and the four claims, each a uvarint length and its bytes, so any
// string round-trips exactly. The MAC key is derived from secret
// (HMAC(secret, "cairn/unsubscribe-token/v1")), so a UserHash made with the
// same secret can never double as a token signature; still, use separate
// secrets. Tokens do not expire: unsubscribe links must keep working. An
// empty secret gives "" (there is nothing to sign with).
func UnsubscribeToken(secret []byte, c UnsubClaims) string {
	if len(secret) == 0 {
		return ""
	}
	fields := [4]string{c.ProfileID, c.GroupID, c.Channel, c.Key}
	n := 1
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	payload := make([]byte, 1, n)
	payload[0] = tokenVersion
	for _, f := range fields {
		payload = binary.AppendUvarint(payload, uint64(len(f)))
		payload = append(payload, f...)
	}
	p := b64.EncodeToString(payload)
	return p + "." + b64.EncodeToString(tokenMAC(secret, p))
}

// ParseUnsubscribeToken verifies a token made by UnsubscribeToken with the
// same secret and returns its claims. The signature is checked in constant
// time before the payload is read. Errors wrap ErrNoSecret, ErrMalformedToken
// (not the token shape) or ErrBadSignature (tampered, or another secret).
func ParseUnsubscribeToken(secret []byte, token string) (UnsubClaims, error) {
	if len(secret) == 0 {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: %w", ErrNoSecret)
	}
	if len(token) > maxTokenLen {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: %d bytes: %w", len(token), ErrMalformedToken)
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: no signature: %w", ErrMalformedToken)
	}
	mac, err := b64.DecodeString(sig)
	if err != nil || len(mac) != sha256.Size {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: signature encoding: %w", ErrMalformedToken)
	}
	if !hmac.Equal(mac, tokenMAC(secret, p)) {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: %w", ErrBadSignature)
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: payload encoding: %w", ErrMalformedToken)
	}
	c, err := decodeClaims(payload)
	if err != nil {
		return UnsubClaims{}, fmt.Errorf("parse unsubscribe token: %w", err)
	}
	return c, nil
}

func decodeClaims(b []byte) (UnsubClaims, error) {
	if len(b) == 0 || b[0] != tokenVersion {
		return UnsubClaims{}, fmt.Errorf("payload version: %w", ErrMalformedToken)
	}
	b = b[1:]
	var fields [4]string
	for i := range fields {
		n, size := binary.Uvarint(b)
		if size <= 0 || n > uint64(len(b)-size) {
			return UnsubClaims{}, fmt.Errorf("payload field %d: %w", i, ErrMalformedToken)
		}
		fields[i] = string(b[size : size+int(n)])
		b = b[size+int(n):]
	}
	if len(b) != 0 {
		return UnsubClaims{}, fmt.Errorf("payload: %d trailing bytes: %w", len(b), ErrMalformedToken)
	}
	return UnsubClaims{ProfileID: fields[0], GroupID: fields[1], Channel: fields[2], Key: fields[3]}, nil
}

func tokenMAC(secret []byte, payload string) []byte {
	k := hmac.New(sha256.New, secret)
	_, _ = k.Write([]byte(tokenKeyLabel)) //nolint:errcheck // hash writes never fail
	m := hmac.New(sha256.New, k.Sum(nil))
	_, _ = m.Write([]byte(payload)) //nolint:errcheck // hash writes never fail
	return m.Sum(nil)
}

// UserHash is the identity-verification hash an in-app SDK sends with the
// user id, as Intercom's user_hash: hex(HMAC-SHA256(secret, userID)),
// lower-case. An empty secret gives "", which never verifies.
func UserHash(secret []byte, userID string) string {
	if len(secret) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, secret)
	_, _ = m.Write([]byte(userID)) //nolint:errcheck // hash writes never fail
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyUserHash reports, in constant time, whether hash is UserHash(secret,
// userID); hex of either case is accepted. An empty secret never verifies.
func VerifyUserHash(secret []byte, userID, hash string) bool {
	if len(secret) == 0 || len(hash) != 2*sha256.Size {
		return false
	}
	got, err := hex.DecodeString(hash)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	_, _ = m.Write([]byte(userID)) //nolint:errcheck // hash writes never fail
	return hmac.Equal(got, m.Sum(nil))
}
