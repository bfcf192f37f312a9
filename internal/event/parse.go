package event

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"
)

// Defaults of ParseOptions.
const (
	DefaultMaxEventBytes  = 32 << 10
	DefaultMaxBatchEvents = 10000
	excerptBytes          = 1 << 10
)

// Body-level errors: the whole request is refused. Everything else is a
// per-event Reject.
var (
	// ErrMalformedBody means the body is not JSON or not shaped as the path expects.
	ErrMalformedBody = errors.New("malformed body")
	// ErrTooManyEvents means a batch holds more entries than MaxBatchEvents.
	ErrTooManyEvents = errors.New("too many events in one batch")
)

// ParseOptions describe the request a body came with.
type ParseOptions struct {
	// CallType is the type a single-event path implies (identify for
	// /v1/identify and /v1/i); "" for the batch paths, whose body is {"batch":[...]}.
	CallType Type
	// ReceivedAt is the server clock when the request arrived. Required.
	ReceivedAt time.Time
	// ClientIP fills context.ip when the event has none; "" leaves it absent.
	ClientIP string
	// MaxEventBytes caps one event as received; 0 means DefaultMaxEventBytes.
	MaxEventBytes int
	// MaxBatchEvents caps the entries of one batch; 0 means DefaultMaxBatchEvents.
	MaxBatchEvents int
}

// Parsed is a body turned into events.
type Parsed struct {
	// WriteKey is the body's writeKey: top level, else batch[0].writeKey.
	WriteKey string
	// Events are the accepted events in body order, SourceID and Channel unset.
	Events []*Event
	// Rejects are the entries dropped one by one, in body order.
	Rejects []Reject
}

// Reject describes one dropped entry: what is wrong, where, and how to fix it.
type Reject struct {
	Index     int    // position in the batch (0 for a single event)
	MessageID string // the entry's messageId when it could be read
	Reason    string // stable code, one of the Reason* constants
	Detail    string // human sentence: what, where, how to fix
	Field     string // JSON path of the problem, e.g. batch[3].userId
	Excerpt   string // at most 1 KiB of the entry as received
}

// entry is one event (or non-object batch entry) found by the first pass.
type entry struct {
	start, end int // span in the body
	f0, f1     int // its members: parser.fields[f0:f1]
	object     bool
	badUnicode bool
}

// parser holds one Parse call's state. Its out and strs buffers are
// append-only: Raw slices and strings point into them (see str).
type parser struct {
	s       scanner
	opts    ParseOptions
	single  bool
	fields  []field // members of every event, back to back
	entries []entry
	top     []field // members of a batch body's top-level object
	scratch []field // members of one context or integrations object
	merged  []field // members of a merged context or integrations object

	// Top-level members of a batch body (-1 when absent).
	topCtx, topIntegrations, topSentAt, topWriteKey int
	batchCtx, batchIntegrations                     []field
	batchSentAt                                     time.Time
	batchSentAtBad                                  bool
	ipJSON                                          []byte

	out  []byte // Raw of every event, back to back
	strs []byte // bytes of every string field, back to back
}

// Parse turns a request body (already decompressed) into events. It returns
// an error wrapping ErrMalformedBody when the body is not JSON or not shaped
// as the path expects, and ErrTooManyEvents when a batch is too long. Invalid
// entries are dropped one by one into Parsed.Rejects.
func Parse(body []byte, opts ParseOptions) (*Parsed, error) {
	if opts.ReceivedAt.IsZero() {
		return nil, errors.New("parse body: ParseOptions.ReceivedAt is required")
	}
	if opts.CallType != "" && !opts.CallType.Valid() {
		return nil, fmt.Errorf("parse body: unknown call type %q", opts.CallType)
	}
	if opts.MaxEventBytes <= 0 {
		opts.MaxEventBytes = DefaultMaxEventBytes
	}
	if opts.MaxBatchEvents <= 0 {
		opts.MaxBatchEvents = DefaultMaxBatchEvents
	}
	opts.ReceivedAt = opts.ReceivedAt.UTC()
	if !utf8.Valid(body) {
		// Invalid bytes can only be valid JSON inside strings; store U+FFFD
		// instead, as encoding/json does when it decodes them.
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	p := parserPool.Get().(*parser)
	defer p.release()
	*p = parser{
		s:               scanner{b: body, stack: p.s.stack[:0]},
		opts:            opts,
		single:          opts.CallType != "",
		fields:          p.fields[:0],
		entries:         p.entries[:0],
		top:             p.top[:0],
		scratch:         p.scratch[:0],
		merged:          p.merged[:0],
		topCtx:          -1,
		topIntegrations: -1,
		topSentAt:       -1,
		topWriteKey:     -1,
	}
	if err := p.scanBody(); err != nil {
		return nil, err
	}
	return p.build()
}

// parserPool recycles the scratch slices of a parser; never out and strs,
// which the returned events point into.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// maxPooledFields keeps a parser that walked a huge body out of the pool.
const maxPooledFields = 1 << 16

func (p *parser) release() {
	if cap(p.fields) > maxPooledFields {
		return
	}
	p.s.b, p.out, p.strs, p.batchCtx, p.batchIntegrations, p.ipJSON = nil, nil, nil, nil, nil, nil
	parserPool.Put(p)
}

// scanBody is the first pass: it validates the whole body and records the
// events' spans and members.
func (p *parser) scanBody() error {
	b := p.s.b
	i := skipWS(b, 0)
	if i == len(b) {
		return fmt.Errorf("%w: the body is empty; send a JSON object", ErrMalformedBody)
	}
	if b[i] != '{' {
		if _, _, err := p.s.value(i); err != nil {
			return err
		}
		return fmt.Errorf("%w: the body must be a JSON object, not %s", ErrMalformedBody, kindName(b[i]))
	}
	var end int
	var err error
	if p.single {
		p.s.badUnicode = false
		p.fields, end, err = p.s.object(i, p.fields)
		if err != nil {
			return err
		}
		p.entries = append(p.entries, entry{start: i, end: end, f0: 0, f1: len(p.fields), object: true, badUnicode: p.s.badUnicode})
	} else if end, err = p.scanBatchBody(i); err != nil {
		return err
	}
	if j := skipWS(b, end); j != len(b) {
		return p.s.syntaxError(j, "data after the top-level object")
	}
	return nil
}

// scanBatchBody walks {"batch":[...], "context":{...}, ...} at b[i].
func (p *parser) scanBatchBody(i int) (int, error) {
	b := p.s.b
	sawBatch := false
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return 0, errNoBatch
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, p.s.syntaxError(i, "expected a string key")
		}
		f := field{ks: i + 1}
		end, esc, err := p.s.strEsc(i)
		if err != nil {
			return 0, err
		}
		f.ke, f.esc = end-1, esc
		if esc {
			if f.name, err = decodeKey(b[i:end]); err != nil {
				return 0, fmt.Errorf("%w: key at byte %d: %w", ErrMalformedBody, i, err)
			}
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, p.s.syntaxError(i, "expected ':' after a key")
		}
		i = skipWS(b, i+1)
		k := string(p.s.key(&f))
		if k == "batch" && i < len(b) && b[i] == '[' {
			sawBatch = true
			f.vs = i
			if f.ve, err = p.scanBatch(i); err != nil {
				return 0, err
			}
		} else if f.vs, f.ve, err = p.s.value(i); err != nil {
			return 0, err
		}
		idx := len(p.top)
		p.top = append(p.top, f)
		switch k {
		case "batch":
			sawBatch = b[f.vs] == '['
		case "context":
			p.topCtx = idx
		case "integrations":
			p.topIntegrations = idx
		case "sentAt":
			p.topSentAt = idx
		case "writeKey":
			p.topWriteKey = idx
		}
		i = skipWS(b, f.ve)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			if !sawBatch {
				return 0, errNoBatch
			}
			return i + 1, nil
		}
		return 0, p.s.syntaxError(i, "expected ',' or '}'")
	}
}

var errNoBatch = fmt.Errorf(`%w: a batch endpoint takes {"batch":[event, ...]}; the body has no "batch" array (send single events to /v1/track, /v1/identify, ...)`, ErrMalformedBody)

// scanBatch walks the batch array at b[i] and returns the offset after it. A
// later "batch" member replaces an earlier one, as in encoding/json.
func (p *parser) scanBatch(i int) (int, error) {
	b := p.s.b
	p.entries, p.fields = p.entries[:0], p.fields[:0]
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		if len(p.entries) == p.opts.MaxBatchEvents {
			return 0, fmt.Errorf("%w: a batch may hold at most %d events; split it into smaller requests", ErrTooManyEvents, p.opts.MaxBatchEvents)
		}
		var e entry
		var err error
		if i < len(b) && b[i] == '{' {
			p.s.badUnicode = false
			e = entry{start: i, f0: len(p.fields), object: true}
			if p.fields, e.end, err = p.s.object(i, p.fields); err != nil {
				return 0, err
			}
			e.f1, e.badUnicode = len(p.fields), p.s.badUnicode
		} else if e.start, e.end, err = p.s.value(i); err != nil {
			return 0, err
		}
		p.entries = append(p.entries, e)
		i = skipWS(b, e.end)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		return 0, p.s.syntaxError(i, "expected ',' or ']' in the batch")
	}
}

// kindName names the JSON kind whose first byte is c, for error messages.
func kindName(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "something else"
}
