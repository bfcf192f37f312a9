package webhook

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// golden was computed outside Go:
// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest())'
const golden = "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"

func TestSignGolden(t *testing.T) {
	t.Parallel()
	require.Equal(t, golden, Sign([]byte("whsec_test"), time.Unix(1700000000, 0), []byte(`{"a":1}`)))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	secret := []byte("whsec_test")
	body := []byte(`{"a":1}`)
	at := time.Unix(1700000000, 0)
	other := Sign([]byte("old secret"), at, body)
	v1 := strings.TrimPrefix(golden, "t=1700000000,")
	tests := []struct {
		name      string
		header    string
		body      []byte
		now       time.Time
		tolerance time.Duration
		wantErr   error
	}{
		{name: "valid", header: golden, body: body, now: at, tolerance: DefaultTolerance},
		{name: "valid at edge of tolerance", header: golden, body: body, now: at.Add(DefaultTolerance), tolerance: DefaultTolerance},
		{name: "clock behind sender", header: golden, body: body, now: at.Add(-time.Minute), tolerance: DefaultTolerance},
		{name: "elements reordered with spaces", header: v1 + " , t=1700000000", body: body, now: at, tolerance: DefaultTolerance},
		{name: "rotated secret second v1 matches", header: other + "," + v1, body: body, now: at, tolerance: DefaultTolerance},
		{name: "unknown scheme ignored", header: golden + ",v0=abc", body: body, now: at, tolerance: DefaultTolerance},
		{name: "tolerance disabled", header: golden, body: body, now: at.Add(24 * time.Hour)},
		{name: "too old", header: golden, body: body, now: at.Add(DefaultTolerance + time.Second), tolerance: DefaultTolerance, wantErr: ErrSignatureExpired},
		{name: "from the future", header: golden, body: body, now: at.Add(-DefaultTolerance - time.Second), tolerance: DefaultTolerance, wantErr: ErrSignatureExpired},
		{name: "body changed", header: golden, body: []byte(`{"a":2}`), now: at, tolerance: DefaultTolerance, wantErr: ErrSignatureMismatch},
		{name: "timestamp changed", header: "t=1700000001," + v1, body: body, now: at, tolerance: DefaultTolerance, wantErr: ErrSignatureMismatch},
		{name: "other secret only", header: other, body: body, now: at, tolerance: DefaultTolerance, wantErr: ErrSignatureMismatch},
		{name: "empty", header: "", body: body, now: at, wantErr: ErrNoSignature},
		{name: "no timestamp", header: v1, body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "no v1", header: "t=1700000000", body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "two timestamps", header: golden + ",t=1700000000", body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "signed timestamp", header: "t=+1700000000," + v1, body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "short v1", header: "t=1700000000,v1=abcd", body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "non hex v1", header: "t=1700000000,v1=" + strings.Repeat("zz", 32), body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "element without equals", header: golden + ",junk", body: body, now: at, wantErr: ErrMalformedSignature},
		{name: "oversized", header: golden + strings.Repeat(",x=y", 2000), body: body, now: at, wantErr: ErrMalformedSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(secret, tc.header, tc.body, tc.now, tc.tolerance)
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}

func FuzzParseSignature(f *testing.F) {
	f.Add(golden)
	f.Add("t=1,v1=" + strings.Repeat("00", 32) + ",v1=" + strings.Repeat("ff", 32))
	f.Add("v1=,t=")
	f.Add("t=99999999999999999999,v1=00")
	f.Add(" , = ,t==1")
	f.Fuzz(func(t *testing.T, header string) {
		sig, err := ParseSignature(header)
		if err != nil {
			require.Empty(t, sig.V1)
			return
		}
		require.NotEmpty(t, sig.V1)
		require.GreaterOrEqual(t, sig.Timestamp, int64(0))
		for _, v := range sig.V1 {
			require.Len(t, v, 32)
		}
		// A header that parses verifies or mismatches, never anything else.
		err = Verify([]byte("k"), header, nil, time.Unix(sig.Timestamp, 0), time.Minute)
		if err != nil {
			require.ErrorIs(t, err, ErrSignatureMismatch)
		}
	})
}

func FuzzSignVerifyRoundTrip(f *testing.F) {
	f.Add([]byte("secret"), int64(1700000000), []byte(`{"a":1}`))
	f.Add([]byte{}, int64(0), []byte{})
	f.Fuzz(func(t *testing.T, secret []byte, ts int64, body []byte) {
		if ts < 0 || ts > 1<<40 {
			return
		}
		at := time.Unix(ts, 0)
		h := Sign(secret, at, body)
		require.NoError(t, Verify(secret, h, body, at, time.Second))
		require.ErrorIs(t, Verify(append(secret, 'x'), h, body, at, time.Second), ErrSignatureMismatch)
	})
}
