package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/cairn-cdp/cairn/internal/event"
)

// OutboxBatch is the events one Apply wrote to the outbox (OutboxStore),
// under the id Apply gave them (ProcessBatch.OutboxID).
type OutboxBatch struct {
	ID     int64
	Events []*event.Event
}

// outboxEvent is one event of an encoded outbox batch. The form is a JSON
// array of these objects so that the migrations from the one-row-per-event
// outbox could build it in SQL; the body is a JSON string holding the
// bytes unchanged.
type outboxEvent struct {
	SourceID   string `json:"source_id"`
	MessageID  string `json:"message_id"`
	Channel    string `json:"channel"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Timestamp  int64  `json:"timestamp"`   // Unix microseconds
	ReceivedAt int64  `json:"received_at"` // Unix microseconds
	Raw        string `json:"raw"`
}

// EncodeOutbox encodes the events of one outbox batch: the fields the log
// needs to append them again (source, message id, channel, type, name, both
// times to the microsecond, body). Bodies must be UTF-8 text, as every
// event body is (JSON).
func EncodeOutbox(evs []*event.Event) ([]byte, error) {
	size := 2
	for _, e := range evs {
		size += 150 + len(e.SourceID) + len(e.MessageID) + len(e.Name) + len(e.Raw)*9/8
	}
	b := make([]byte, 0, size)
	b = append(b, '[')
	for i, e := range evs {
		if i > 0 {
			b = append(b, ',')
		}
		for _, f := range [...]struct{ name, v string }{{"source_id", e.SourceID}, {"message_id", e.MessageID},
			{"channel", e.Channel}, {"type", string(e.Type)}, {"name", e.Name}} {
			if !utf8.ValidString(f.v) {
				return nil, fmt.Errorf("encode outbox event %d: %s is not UTF-8", i, f.name)
			}
		}
		if !utf8.Valid(e.Raw) {
			return nil, fmt.Errorf("encode outbox event %s/%s: its body is not UTF-8 text", e.SourceID, e.MessageID)
		}
		b = append(b, `{"source_id":`...)
		b = appendJSONString(b, e.SourceID)
		b = append(b, `,"message_id":`...)
		b = appendJSONString(b, e.MessageID)
		b = append(b, `,"channel":`...)
		b = appendJSONString(b, e.Channel)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, string(e.Type))
		b = append(b, `,"name":`...)
		b = appendJSONString(b, e.Name)
		b = append(b, `,"timestamp":`...)
		b = strconv.AppendInt(b, e.Timestamp.UnixMicro(), 10)
		b = append(b, `,"received_at":`...)
		b = strconv.AppendInt(b, e.ReceivedAt.UnixMicro(), 10)
		b = append(b, `,"raw":`...)
		b = appendJSONString(b, []byte(e.Raw))
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// DecodeOutbox decodes what EncodeOutbox wrote.
func DecodeOutbox(data []byte) ([]*event.Event, error) {
	var list []outboxEvent
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("decode outbox batch: %w", err)
	}
	out := make([]*event.Event, len(list))
	for i, o := range list {
		if o.SourceID == "" || o.MessageID == "" {
			return nil, fmt.Errorf("decode outbox batch: event %d has no source id or message id", i)
		}
		out[i] = &event.Event{SourceID: o.SourceID, MessageID: o.MessageID, Channel: o.Channel, Type: event.Type(o.Type),
			Name: o.Name, Timestamp: time.UnixMicro(o.Timestamp).UTC(), ReceivedAt: time.UnixMicro(o.ReceivedAt).UTC(), Raw: []byte(o.Raw)}
	}
	return out, nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s, valid UTF-8, as a JSON string: quotes,
// backslashes and control characters escaped, everything else as is.
func appendJSONString[S string | []byte](b []byte, s S) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
