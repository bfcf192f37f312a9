package email

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Size limits for reading reports: the whole report (a DSN may return the
// full original message, which is read no further than its header), and
// one machine-readable part or returned header.
const (
	maxReportBytes = 10 << 20
	maxPartBytes   = 1 << 20
)

// Media types of the returned original message (RFC 3462, RFC 6532).
var originalTypes = []string{
	"message/rfc822", "text/rfc822-headers", "message/rfc822-headers",
	"message/global", "message/global-headers",
}

// report is a multipart/report (RFC 6522) split into what the parsers
// need.
type report struct {
	header mail.Header // the report message's own header
	// fields are the machine-readable part's field groups, in order
	// (groups are separated by blank lines): for a DSN the per-message
	// group and then one group per recipient; for ARF one group.
	fields []textproto.MIMEHeader
	// original is the header of the returned original message; nil when
	// the report returned none.
	original textproto.MIMEHeader
}

// readReport reads a multipart/report whose report-type is reportType
// (a missing report-type is accepted) and whose machine-readable part is
// of one of fieldTypes.
func readReport(r io.Reader, reportType string, fieldTypes []string) (*report, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(r, maxReportBytes)))
	if err != nil {
		return nil, fmt.Errorf("%w: read message header: %w", ErrNotReport, err)
	}
	ct := msg.Header.Get("Content-Type")
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil || mediaType != "multipart/report" {
		return nil, fmt.Errorf("%w: content type %q is not multipart/report", ErrNotReport, ct)
	}
	if rt := params["report-type"]; rt != "" && !strings.EqualFold(rt, reportType) {
		return nil, fmt.Errorf("%w: report-type %q is not %s", ErrNotReport, rt, reportType)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, fmt.Errorf("%w: multipart/report without a boundary", ErrMalformedReport)
	}

	rep := &report{header: msg.Header}
	mr := multipart.NewReader(msg.Body, boundary)
	for {
		part, err := mr.NextPart()
		if err != nil {
			if errors.Is(err, io.EOF) || rep.fields != nil {
				// A report cut short after its machine-readable part
				// (a truncated original message) is still usable.
				break
			}
			return nil, fmt.Errorf("%w: read part: %w", ErrMalformedReport, err)
		}
		partType, _, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			partType = "text/plain"
		}
		body := decodePart(part)
		switch {
		case slices.Contains(fieldTypes, partType) && rep.fields == nil:
			b, err := io.ReadAll(io.LimitReader(body, maxPartBytes))
			if err != nil {
				return nil, fmt.Errorf("%w: read %s part: %w", ErrMalformedReport, partType, err)
			}
			rep.fields = parseFieldGroups(b)
			if rep.fields == nil {
				return nil, fmt.Errorf("%w: %s part holds no fields", ErrMalformedReport, partType)
			}
		case slices.Contains(originalTypes, partType) && rep.original == nil:
			rep.original = readHeader(io.LimitReader(body, maxPartBytes))
		}
	}
	if rep.fields == nil {
		return nil, fmt.Errorf("%w: no %s part", ErrMalformedReport, strings.Join(fieldTypes, " or "))
	}
	return rep, nil
}

// decodePart undoes a base64 transfer encoding; multipart.Reader already
// undoes quoted-printable.
func decodePart(p *multipart.Part) io.Reader {
	if strings.EqualFold(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding")), "base64") {
		return base64.NewDecoder(base64.StdEncoding, p)
	}
	return p
}

// parseFieldGroups reads RFC 822-style field groups separated by blank
// lines, stopping at the first malformed line; nil when there is none.
func parseFieldGroups(b []byte) []textproto.MIMEHeader {
	tr := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	var groups []textproto.MIMEHeader
	for {
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			groups = append(groups, h)
		}
		if err != nil {
			return groups
		}
	}
}

// readHeader reads the header of a returned message (or a bare header
// block); what it could read when the header is cut short or malformed.
func readHeader(r io.Reader) textproto.MIMEHeader {
	h, _ := textproto.NewReader(bufio.NewReader(r)).ReadMIMEHeader()
	if len(h) == 0 {
		return nil
	}
	return h
}

// typedValue strips the type prefix of a report field such as
// "rfc822; user@example.com" or "smtp; 550 5.1.1 no such user", unfolds
// white space and strips angle brackets around an address.
func typedValue(v string) string {
	if typ, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(strings.TrimSpace(typ), " \t<@") {
		v = rest
	}
	v = strings.Join(strings.Fields(v), " ")
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	return v
}

// firstDate parses the first of values that is a valid RFC 5322 date, in
// UTC; zero when none is.
func firstDate(values ...string) time.Time {
	for _, v := range values {
		if v == "" {
			continue
		}
		if t, err := mail.ParseDate(strings.TrimSpace(v)); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// originalIDs returns the send key and Message-ID of the returned
// original message.
func (r *report) originalIDs() (key, messageID string) {
	if r.original == nil {
		return "", ""
	}
	key = strings.TrimSpace(r.original.Get(KeyHeader))
	if validateKey(key) != nil {
		key = ""
	}
	return key, normalizeMessageID(r.original.Get("Message-Id"))
}
