package email

import (
	"context"
	"errors"
	"io"
	"net/textproto"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	reply := func(code int, msg string) error { return &textproto.Error{Code: code, Msg: msg} }
	tests := []struct {
		name          string
		stage         stage
		err           error
		wantPermanent bool
		wantCode      string
		wantSentinel  error // nil: no configuration sentinel
	}{
		{"554 greeting refuses us", stageGreeting, reply(554, "5.7.1 no service for you"), true, "554", ErrRelay},
		{"421 greeting is busy", stageGreeting, reply(421, "4.3.2 too many connections"), false, "421", nil},
		{"550 EHLO", stageHello, reply(550, "5.7.1 bad helo"), true, "550", ErrRelay},
		{"454 STARTTLS unavailable", stageTLS, reply(454, "4.7.0 TLS not available"), false, "454", ErrTLS},
		{"handshake failure", stageTLS, errors.New("tls: bad certificate"), false, "", ErrTLS},
		{"535 credentials", stageAuth, reply(535, "5.7.8 authentication failed"), true, "535", ErrAuth},
		{"534 mechanism too weak", stageAuth, reply(534, "5.7.9 mechanism too weak"), true, "534", ErrAuth},
		{"454 temporary auth failure", stageAuth, reply(454, "4.7.0 temporary authentication failure"), false, "454", nil},
		{"530 at MAIL FROM", stageMail, reply(530, "5.7.0 Authentication required"), true, "530", ErrAuth},
		{"502 5.7.0 authenticate first at MAIL FROM", stageMail, reply(502, "5.7.0 Please authenticate first"), true, "502", ErrAuth},
		{"553 sender refused", stageMail, reply(553, "5.7.1 sender not owned"), true, "553", ErrRelay},
		{"550 mailbox unavailable", stageRcpt, reply(550, "5.1.1 no such user"), true, "550", nil},
		{"551 user not local", stageRcpt, reply(551, "5.1.6 moved"), true, "551", nil},
		{"450 mailbox busy", stageRcpt, reply(450, "4.2.1 busy"), false, "450", nil},
		{"554 no valid recipients at DATA", stageData, reply(554, "5.5.1 no valid recipients"), true, "554", nil},
		{"552 too big", stageDeliver, reply(552, "5.3.4 too big"), true, "552", nil},
		{"connection reset at end of DATA", stageDeliver, io.ErrUnexpectedEOF, false, "", nil},
		{"timeout", stageRcpt, os.ErrDeadlineExceeded, false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := classify(t.Context(), tt.stage, "mx.example.com:587", tt.err)
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.wantPermanent, ce.Permanent)
			require.Equal(t, tt.wantCode, ce.Code)
			require.ErrorIs(t, err, tt.err, "the original error stays in the chain")
			require.Contains(t, err.Error(), "mx.example.com:587")
			if tt.wantSentinel == nil {
				require.False(t, IsConfigError(err))
			} else {
				require.ErrorIs(t, err, tt.wantSentinel)
			}
		})
	}
}

func TestClassifyEndedContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// A network error after the context ended is the cancellation.
	err := classify(ctx, stageRcpt, "mx.example.com:25", io.ErrUnexpectedEOF)
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, channel.IsPermanent(err))
	// A reply the server gave is the outcome, cancelled or not.
	err = classify(ctx, stageRcpt, "mx.example.com:25", &textproto.Error{Code: 550, Msg: "5.1.1 no such user"})
	require.True(t, channel.IsPermanent(err))
	require.NotErrorIs(t, err, context.Canceled)

	err = classify(t.Context(), stageRcpt, "mx.example.com:25", os.ErrDeadlineExceeded)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the connection deadline is the context's")
}
