package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Redacted replaces secret values (passwords, tokens, private keys) in
// config objects the API returns. Sending it back in a PUT keeps the stored
// value.
const Redacted = "********"

var redactedJSON = json.RawMessage(`"` + Redacted + `"`)

// secretWords mark a JSON field as secret when its name contains one
// (case-insensitive); auth_token is covered by token.
var secretWords = []string{"password", "secret", "token", "private_key"}

func secretName(key string) bool {
	k := strings.ToLower(key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// member is one member of a JSON object, in document order.
type member struct {
	key   string
	value json.RawMessage
}

// members splits a JSON object into its members; ok is false when raw is
// not an object.
func members(raw json.RawMessage) (ms []member, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, true, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, true, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, true, err
		}
		ms = append(ms, member{key: key, value: v})
	}
	return ms, true, nil
}

// elements splits a JSON array; ok is false when raw is not an array.
func elements(raw json.RawMessage) (es []json.RawMessage, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false, nil
	}
	err = json.Unmarshal(raw, &es)
	return es, true, err
}

func buildObject(ms []member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key) //nolint:errcheck // a string always marshals
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func buildArray(es []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range es {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(e)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// unset reports whether a secret value is empty, so there is nothing to hide.
func unset(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) == 0 || string(v) == "null" || string(v) == `""`
}

// redact replaces the value of every secret field, at any depth, with
// Redacted; body is returned unchanged when it has none.
func redact(body json.RawMessage) json.RawMessage {
	out, changed := redactValue(body)
	if !changed {
		return body
	}
	return out
}

func redactValue(raw json.RawMessage) (json.RawMessage, bool) {
	if ms, ok, err := members(raw); ok && err == nil {
		changed := false
		for i, m := range ms {
			if secretName(m.key) {
				if !unset(m.value) {
					ms[i].value, changed = redactedJSON, true
				}
				continue
			}
			if v, ch := redactValue(m.value); ch {
				ms[i].value, changed = v, true
			}
		}
		return buildObject(ms), changed
	}
	if es, ok, err := elements(raw); ok && err == nil {
		changed := false
		for i, e := range es {
			if v, ch := redactValue(e); ch {
				es[i], changed = v, true
			}
		}
		return buildArray(es), changed
	}
	return raw, false
}

// errPlaceholder is wrapped by mergeSecrets for a placeholder with no stored value.
var errPlaceholder = errors.New("redaction placeholder without a stored value")

// mergeSecrets returns body with every secret field whose value is the
// Redacted placeholder replaced by the stored value at the same path. A
// placeholder where nothing is stored is an error naming the path.
func mergeSecrets(body, stored json.RawMessage) (json.RawMessage, error) {
	if !bytes.Contains(body, []byte(Redacted)) {
		return body, nil
	}
	return mergeValue("", body, stored)
}

func mergeValue(path string, raw, old json.RawMessage) (json.RawMessage, error) {
	if ms, ok, err := members(raw); ok {
		if err != nil {
			return nil, err
		}
		oldMs, _, _ := members(old) // not an object: nothing to merge from
		for i, m := range ms {
			p := joinPath(path, m.key)
			var prev json.RawMessage
			for _, om := range oldMs {
				if om.key == m.key {
					prev = om.value
				}
			}
			if secretName(m.key) && bytes.Equal(bytes.TrimSpace(m.value), redactedJSON) {
				if prev == nil {
					return nil, fmt.Errorf("%s: %w", p, errPlaceholder)
				}
				ms[i].value = prev
				continue
			}
			v, err := mergeValue(p, m.value, prev)
			if err != nil {
				return nil, err
			}
			ms[i].value = v
		}
		return buildObject(ms), nil
	}
	if es, ok, err := elements(raw); ok {
		if err != nil {
			return nil, err
		}
		oldEs, _, _ := elements(old)
		for i, e := range es {
			var prev json.RawMessage
			if i < len(oldEs) {
				prev = oldEs[i]
			}
			v, err := mergeValue(path+"["+strconv.Itoa(i)+"]", e, prev)
			if err != nil {
				return nil, err
			}
			es[i] = v
		}
		return buildArray(es), nil
	}
	return raw, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
