package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the request signature.
const SignatureHeader = "X-Cairn-Signature"

// DefaultTolerance is how far a signature timestamp may be from the
// receiver's clock; Stripe uses the same five minutes.
const DefaultTolerance = 5 * time.Minute

// maxSignatureHeader bounds what ParseSignature reads; a header with a
// timestamp and a handful of rotated signatures is a few hundred bytes.
const maxSignatureHeader = 4096

// Signature is a parsed X-Cairn-Signature header.
type Signature struct {
	Timestamp int64    // unix seconds
	V1        [][]byte // HMAC-SHA256 digests; several while a secret rotates
}

// Sign returns the X-Cairn-Signature value for body sent at t:
// "t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>.<body>")>".
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := t.Unix()
	return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	var buf [20]byte
	h.Write(strconv.AppendInt(buf[:0], ts, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// ParseSignature parses "t=<unix>,v1=<hex>[,v1=<hex>...]". Elements are
// comma-separated key=value pairs in any order; unknown keys (future
// schemes) are ignored; exactly one t and at least one v1 are required.
func ParseSignature(header string) (Signature, error) {
	var sig Signature
	if strings.TrimSpace(header) == "" {
		return sig, ErrNoSignature
	}
	if len(header) > maxSignatureHeader {
		return sig, fmt.Errorf("%w: longer than %d bytes", ErrMalformedSignature, maxSignatureHeader)
	}
	seenT := false
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Signature{}, fmt.Errorf("%w: element %q has no '='", ErrMalformedSignature, part)
		}
		switch k {
		case "t":
			if seenT {
				return Signature{}, fmt.Errorf("%w: more than one timestamp", ErrMalformedSignature)
			}
			ts, err := parseTimestamp(v)
			if err != nil {
				return Signature{}, err
			}
			sig.Timestamp, seenT = ts, true
		case "v1":
			d, err := hex.DecodeString(v)
			if err != nil || len(d) != sha256.Size {
				return Signature{}, fmt.Errorf("%w: v1 is not %d hex bytes", ErrMalformedSignature, sha256.Size)
			}
			sig.V1 = append(sig.V1, d)
		}
	}
	if !seenT {
		return Signature{}, fmt.Errorf("%w: no timestamp", ErrMalformedSignature)
	}
	if len(sig.V1) == 0 {
		return Signature{}, fmt.Errorf("%w: no v1 signature", ErrMalformedSignature)
	}
	return sig, nil
}

// parseTimestamp accepts unsigned decimal seconds only: no sign, no
// spaces, no exponent.
func parseTimestamp(v string) (int64, error) {
	if v == "" || len(v) > 18 {
		return 0, fmt.Errorf("%w: bad timestamp %q", ErrMalformedSignature, v)
	}
	for i := range len(v) {
		if v[i] < '0' || v[i] > '9' {
			return 0, fmt.Errorf("%w: bad timestamp %q", ErrMalformedSignature, v)
		}
	}
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: bad timestamp %q", ErrMalformedSignature, v)
	}
	return ts, nil
}

// Verify checks header against body and secret. The timestamp must be
// within tolerance of now in either direction (tolerance <= 0 skips that
// check, which leaves replays possible). Any matching v1 passes, so a
// sender may sign with an old and a new secret while rotating.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	sig, err := ParseSignature(header)
	if err != nil {
		return err
	}
	if tolerance > 0 {
		age := now.Sub(time.Unix(sig.Timestamp, 0))
		if age > tolerance || age < -tolerance {
			return fmt.Errorf("%w: signed %s ago", ErrSignatureExpired, age.Round(time.Second))
		}
	}
	want := mac(secret, sig.Timestamp, body)
	for _, got := range sig.V1 {
		if hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignatureMismatch
}
