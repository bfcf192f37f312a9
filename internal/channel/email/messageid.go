package email

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// KeyHeader carries the send key (channel.Message.Key) in every message,
// so a bounce or complaint that returns the original headers can be
// matched to the send even when the Message-ID was rewritten on the way.
const KeyHeader = "X-Cairn-Key"

// MessageID derives the Message-ID of the message sent under key, angle
// brackets included, as it appears in the header and in Receipt.ProviderID:
//
//	"<" + hex(SHA-256(key))[:32] + "@" + lower(domain) + ">"
//
// that is the lower-case hex of the first 16 bytes (128 bits) of the
// SHA-256 digest of the key's bytes. The same key always gives the same
// Message-ID, so a resend after a crash (same key) can be deduplicated by
// the receiver, and a bounce's Message-ID leads back to the send. The key
// itself is not recoverable from the ID; it travels in KeyHeader.
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	var b strings.Builder
	b.Grow(2 + 32 + 1 + len(domain))
	b.WriteByte('<')
	b.WriteString(hex.EncodeToString(sum[:16]))
	b.WriteByte('@')
	b.WriteString(strings.ToLower(domain))
	b.WriteByte('>')
	return b.String()
}

// normalizeMessageID returns id trimmed and in angle brackets, or "" when
// id holds no identifier.
func normalizeMessageID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimPrefix(id, "<")
	id = strings.TrimSuffix(id, ">")
	id = strings.TrimSpace(id)
	if id == "" {
		return ""
	}
	return "<" + id + ">"
}
