package identity

import "strings"

// Normalize returns value as stored for identifier type typ (email
// lower-cased, phone in E.164, others trimmed), and false when the value is
// blocked or unusable. The API uses it to resolve `type:value` references.
func (c Config) Normalize(typ, value string) (string, bool) {
	v, reason := c.normalize(typ, strings.TrimSpace(value))
	return v, reason == ""
}
