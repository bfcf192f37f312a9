package pipeline

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// The processor's events are encoded here by hand: every timer fired,
// scheduled entrant and segment transition writes one to three of them, and
// json.Marshal (reflection over the envelope, the props map sorted and
// reflected per value) was 9 % of firing journey timers; this takes about
// half of that, most of it sorting the props' keys. The
// output is byte for byte json.Marshal's (TestAppendEnvelopeMatchesMarshal,
// FuzzAppendJSONValue): the bodies already in logs were written by it.

// appendEnvelope appends json.Marshal(envelope{...}) of one event.
func appendEnvelope(dst []byte, name, messageID string, at, recv time.Time, props any) ([]byte, error) {
	dst = append(dst, `{"context":{"library":{"name":"cairn"}},"event":`...)
	dst = appendJSONString(dst, name)
	dst = append(dst, `,"messageId":`...)
	dst = appendJSONString(dst, messageID)
	dst = append(dst, `,"properties":`...)
	var err error
	if dst, err = appendJSONValue(dst, props); err != nil {
		return nil, err
	}
	dst = append(dst, `,"receivedAt":`...)
	if dst, err = appendJSONTime(dst, recv); err != nil {
		return nil, err
	}
	dst = append(dst, `,"timestamp":`...)
	if dst, err = appendJSONTime(dst, at); err != nil {
		return nil, err
	}
	return append(dst, `,"type":"track"}`...), nil
}

// appendJSONValue appends v as json.Marshal encodes it. The types the
// processor's events carry are written directly; any other goes through
// json.Marshal, which gives the same bytes nested or not.
func appendJSONValue(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return appendJSONString(dst, v), nil
	case bool:
		return strconv.AppendBool(dst, v), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(dst, v, 10), nil
	case float64:
		if abs := math.Abs(v); abs == 0 || abs >= 1e-6 && abs < 1e21 { // json's 'f' range; NaN and Inf fail both
			return strconv.AppendFloat(dst, v, 'f', -1, 64), nil
		}
	case time.Time:
		return appendJSONTime(dst, v)
	case []string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		return append(dst, ']'), nil
	case map[string]any:
		return appendJSONMap(dst, v)
	case map[string]string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '{')
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(appendJSONString(dst, k), ':')
			dst = appendJSONString(dst, v[k])
		}
		return append(dst, '}'), nil
	case internalProps:
		return appendInternalProps(dst, v)
	case stageProps:
		return appendStageProps(dst, v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

func appendJSONMap(dst []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '{')
	var err error
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendJSONString(dst, k), ':')
		if dst, err = appendJSONValue(dst, m[k]); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

func appendInternalProps(dst []byte, p internalProps) ([]byte, error) {
	dst = append(dst, `{"profile_id":`...)
	dst = appendJSONString(dst, p.ProfileID)
	if p.SegmentID != "" {
		dst = appendJSONString(append(dst, `,"segment_id":`...), p.SegmentID)
	}
	if p.Version != 0 {
		dst = strconv.AppendInt(append(dst, `,"version":`...), int64(p.Version), 10)
	}
	if p.Reason != "" {
		dst = appendJSONString(append(dst, `,"reason":`...), p.Reason)
	}
	dst, err := appendJSONTime(append(dst, `,"at":`...), p.At)
	return append(dst, '}'), err
}

func appendStageProps(dst []byte, p stageProps) ([]byte, error) {
	dst = appendJSONString(append(dst, `{"profile_id":`...), p.ProfileID)
	dst = appendJSONString(append(dst, `,"from":`...), p.From)
	dst = appendJSONString(append(dst, `,"to":`...), p.To)
	dst = strconv.AppendInt(append(dst, `,"model_version":`...), int64(p.ModelVersion), 10)
	dst, err := appendJSONTime(append(dst, `,"at":`...), p.At)
	return append(dst, '}'), err
}

// appendJSONTime appends t as time.Time.MarshalJSON does: RFC 3339 with
// nanoseconds, written directly for the UTC times the processor uses.
func appendJSONTime(dst []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); t.Location() != time.UTC || y < 0 || y > 9999 {
		b, err := t.MarshalJSON() // offsets, and the errors of years outside 0-9999
		if err != nil {
			return nil, err
		}
		return append(dst, b...), nil
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does with HTML
// escaping on (its default): <, > and & as \u003c, \u003e and \u0026,
// U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
