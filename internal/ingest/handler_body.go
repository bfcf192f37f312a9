package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// readBody reads the body into buf, gunzipping it when Content-Encoding says
// so. The cap applies to the bytes on the wire and to the decompressed
// bytes, and is enforced while reading, so a gzip bomb stops at the cap.
// The body is read as JSON whatever Content-Type says: never a form parser.
func (h *Handler) readBody(r *http.Request, buf *bytes.Buffer) error {
	limit := h.cfg.MaxBodyBytes
	wire := &io.LimitedReader{R: r.Body, N: limit + 1}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		if r.ContentLength > limit {
			return h.tooLarge()
		}
		if r.ContentLength > 0 {
			buf.Grow(int(r.ContentLength))
		}
		if _, err := buf.ReadFrom(wire); err != nil {
			return errorf(http.StatusBadRequest, codeInvalidBody, "the body could not be read: "+err.Error())
		}
		if wire.N <= 0 {
			return h.tooLarge()
		}
		return nil
	case "gzip", "x-gzip":
	default:
		return errorf(http.StatusUnsupportedMediaType, codeUnsupportedEncoding, fmt.Sprintf(
			"Content-Encoding %q is not supported; send gzip or an uncompressed body", enc))
	}
	zr := h.gzip.Get().(*gzip.Reader)
	defer h.gzip.Put(zr)
	err := zr.Reset(wire)
	if err == nil {
		plain := &io.LimitedReader{R: zr, N: limit + 1}
		_, err = buf.ReadFrom(plain)
		if plain.N <= 0 {
			return h.tooLarge()
		}
	}
	if wire.N <= 0 {
		return h.tooLarge()
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return errorf(http.StatusBadRequest, codeInvalidGzip, "the body is not valid gzip (Content-Encoding: gzip): "+err.Error())
	}
	return nil
}

func (h *Handler) tooLarge() error {
	return errorf(http.StatusRequestEntityTooLarge, codeBodyTooLarge, h.tooLargeMsg)
}

func tooLargeMessage(limit int64) string {
	return fmt.Sprintf("the body is over %d bytes (after gunzip); send smaller batches", limit)
}

// basicKey reads the write key from "Authorization: Basic base64(key:)"
// (the colon is optional). ok is false when there is no Basic header, or a
// Bearer one: the key then comes from the body.
func basicKey(r *http.Request) (key string, ok bool, err error) {
	auth := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(strings.TrimSpace(auth), " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", false, nil
	}
	cred = strings.TrimSpace(cred)
	raw, derr := base64.StdEncoding.DecodeString(cred)
	if derr != nil {
		if raw, derr = base64.RawStdEncoding.DecodeString(cred); derr != nil {
			return "", false, errorf(http.StatusUnauthorized, codeInvalidAuthorization,
				`the Authorization header is not valid Basic credentials; send "Basic " + base64(writeKey + ":")`)
		}
	}
	key, _, _ = strings.Cut(string(raw), ":")
	if key == "" {
		return "", false, nil
	}
	return key, true, nil
}

// clientIP is the address that fills context.ip.
func (h *Handler) clientIP(r *http.Request) string {
	if h.cfg.TrustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if a, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
				return a.Unmap().String()
			}
		}
		if a, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
			return a.Unmap().String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Is4In6() {
			return a.Unmap().String()
		}
		return host
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only the package's own types are written: this cannot happen.
		http.Error(w, `{"success":false}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
