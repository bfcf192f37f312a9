package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/event"
)

// OutboxBatch is the events one Apply wrote to the outbox (OutboxStore),
// under the id Apply gave them (ProcessBatch.OutboxID).
type OutboxBatch struct {
	ID     int64
	Events []*event.Event
}

// An encoded outbox batch is binary: outboxFormat, then per event its
// source id, message id, channel, type, name and body, each a uvarint
// length and the bytes, and its timestamp and arrival, each a varint of
// Unix microseconds. Framing instead of JSON copies bodies as they are
// (escaping every quote of a body was 5 % of a scheduled entry's CPU).
//
// The migrations from the one-row-per-event outbox move rows left by a
// crash into one batch built in SQL, as a JSON array of outboxEvent;
// DecodeOutbox reads that form too (it starts with '[').
const outboxFormat = 0x01

// outboxEvent is one event of the JSON form the migrations write.
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
// times to the microsecond, body).
func EncodeOutbox(evs []*event.Event) []byte {
	size := 1
	for _, e := range evs {
		size += 6*binary.MaxVarintLen32 + 2*binary.MaxVarintLen64 +
			len(e.SourceID) + len(e.MessageID) + len(e.Channel) + len(e.Type) + len(e.Name) + len(e.Raw)
	}
	b := make([]byte, 0, size)
	b = append(b, outboxFormat)
	for _, e := range evs {
		for _, f := range [...]string{e.SourceID, e.MessageID, e.Channel, string(e.Type), e.Name} {
			b = binary.AppendUvarint(b, uint64(len(f)))
			b = append(b, f...)
		}
		b = binary.AppendUvarint(b, uint64(len(e.Raw)))
		b = append(b, e.Raw...)
		b = binary.AppendVarint(b, e.Timestamp.UnixMicro())
		b = binary.AppendVarint(b, e.ReceivedAt.UnixMicro())
	}
	return b
}

// DecodeOutbox decodes what EncodeOutbox wrote, or the JSON form of the
// migrations.
func DecodeOutbox(data []byte) ([]*event.Event, error) {
	if len(data) > 0 && data[0] == '[' {
		return decodeOutboxJSON(data)
	}
	if len(data) == 0 || data[0] != outboxFormat {
		return nil, errors.New("decode outbox batch: unknown form (a newer cairn wrote it?)")
	}
	r := outboxReader{data: data[1:]}
	var out []*event.Event
	for len(r.data) > 0 && r.err == nil {
		e := &event.Event{SourceID: r.str(), MessageID: r.str(), Channel: r.str(), Type: event.Type(r.str()), Name: r.str()}
		e.Raw = json.RawMessage(r.bytes())
		e.Timestamp, e.ReceivedAt = time.UnixMicro(r.varint()).UTC(), time.UnixMicro(r.varint()).UTC()
		if r.err == nil && (e.SourceID == "" || e.MessageID == "") {
			r.err = fmt.Errorf("event %d has no source id or message id", len(out))
		}
		out = append(out, e)
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode outbox batch: %w", r.err)
	}
	return out, nil
}

// outboxReader reads the fields of an encoded batch; the first error
// sticks and every later read returns zero.
type outboxReader struct {
	data []byte
	err  error
}

var errTruncated = errors.New("truncated")

func (r *outboxReader) bytes() []byte {
	if r.err != nil {
		return nil
	}
	n, k := binary.Uvarint(r.data)
	if k <= 0 || n > uint64(len(r.data)-k) {
		r.err = errTruncated
		return nil
	}
	b := slices.Clone(r.data[k : k+int(n)])
	r.data = r.data[k+int(n):]
	return b
}

func (r *outboxReader) str() string { return string(r.bytes()) }

func (r *outboxReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Varint(r.data)
	if k <= 0 {
		r.err = errTruncated
		return 0
	}
	r.data = r.data[k:]
	return v
}

// decodeOutboxJSON decodes the JSON form of the migrations.
func decodeOutboxJSON(data []byte) ([]*event.Event, error) {
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
