package email

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emersion/go-msgauth/dkim"
)

// SignedHeaders are the header fields every DKIM signature covers, in
// h= order. A listed field the message lacks is still listed, which signs
// its absence: a relay cannot add, say, a List-Unsubscribe without breaking
// the signature.
var SignedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID", "Reply-To",
	"MIME-Version", "Content-Type",
	"List-Unsubscribe", "List-Unsubscribe-Post", KeyHeader,
}

// parseDKIMKey reads an RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8) private
// key from PEM.
func parseDKIMKey(pemText string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("no PEM block found: paste the whole key, -----BEGIN ... PRIVATE KEY----- lines included")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block %q is not a private key: use \"RSA PRIVATE KEY\" or \"PRIVATE KEY\" (PKCS#8)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", block.Type, err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		// crypto/rsa already refuses keys under 1024 bits, the RFC 8301
		// minimum.
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	default:
		return nil, fmt.Errorf("key type %T is not supported: use RSA or Ed25519", key)
	}
}

// newDKIMOptions returns the signing options for d, or nil when DKIM is
// off.
func newDKIMOptions(d DKIMConfig) (*dkim.SignOptions, error) {
	if !d.Enabled() {
		return nil, nil
	}
	key, err := parseDKIMKey(d.PrivateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("dkim private key: %w", err)
	}
	return &dkim.SignOptions{
		Domain:                 d.Domain,
		Selector:               d.Selector,
		Signer:                 key,
		Hash:                   crypto.SHA256,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             SignedHeaders,
	}, nil
}

// sign returns raw with a DKIM-Signature header field prepended.
func sign(raw []byte, opts *dkim.SignOptions) ([]byte, error) {
	s, err := dkim.NewSigner(opts)
	if err != nil {
		return nil, fmt.Errorf("dkim signer: %w", err)
	}
	if _, err := s.Write(raw); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	if err := s.Close(); err != nil {
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	sig := s.Signature()
	var out bytes.Buffer
	out.Grow(len(sig) + len(raw))
	out.WriteString(sig)
	out.Write(raw)
	return out.Bytes(), nil
}
