package email

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"os"
	"strconv"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// stage is the step of the SMTP conversation an error happened in, worded
// to start the error message.
type stage string

const (
	stageConnect  stage = "connect to smtp server"
	stageTLS      stage = "smtp tls with"
	stageGreeting stage = "smtp greeting from"
	stageHello    stage = "smtp EHLO at"
	stageAuth     stage = "smtp AUTH at"
	stageMail     stage = "smtp MAIL FROM at"
	stageRcpt     stage = "smtp RCPT TO at"
	stageData     stage = "smtp DATA at"
	stageDeliver  stage = "smtp end of DATA at"
)

// classify turns an error of one step of the conversation with addr into a
// channel.Error:
//
//   - no SMTP reply because the context ended (cancelled, deadline; the
//     connection's deadline is the context's): temporary, wrapping the
//     context's cause;
//   - no SMTP reply otherwise (refused connection, reset, TLS handshake):
//     temporary; ErrTLS inside when it happened while setting up TLS;
//   - 530 anywhere, 5xx to AUTH, or a 5xx "5.7.0 ... authenticate" to
//     MAIL FROM (go-smtp based servers answer 502): permanent with ErrAuth
//     inside;
//   - a reply to STARTTLS that is not 220: temporary with ErrTLS inside;
//   - 5xx to the greeting, EHLO or MAIL FROM: permanent with ErrRelay
//     inside (the relay refuses us or our sender, not this recipient);
//   - other 5xx (RCPT TO 550 mailbox unavailable, DATA 552 too big, 554
//     rejected): permanent, code = the reply code;
//   - 4xx (451, 452, 421 ...) and anything else: temporary.
//
// A failure at the end of DATA without a reply is ambiguous: the server may
// have queued the message. It is temporary like any network failure; the
// resend carries the same Message-ID, so receivers can deduplicate it.
func classify(ctx context.Context, st stage, addr string, err error) error {
	var reply *textproto.Error
	if !errors.As(err, &reply) {
		var cause error
		switch {
		case ctx.Err() != nil:
			cause = context.Cause(ctx)
		case errors.Is(err, os.ErrDeadlineExceeded):
			// The connection's deadline is the context's: it fired first.
			cause = context.DeadlineExceeded
		}
		switch {
		case cause != nil:
			return channel.Temporary("", fmt.Errorf("%s %s: %w: %w", st, addr, cause, err))
		case st == stageTLS:
			return channel.Temporary("", fmt.Errorf("%s %s: %w: %w", st, addr, ErrTLS, err))
		default:
			return channel.Temporary("", fmt.Errorf("%s %s: %w", st, addr, err))
		}
	}
	code := strconv.Itoa(reply.Code)
	switch {
	case reply.Code == 530 || (st == stageAuth && reply.Code >= 500) || authRequired(st, reply):
		return channel.Permanent(code, fmt.Errorf("%s %s: %w: %w", st, addr, ErrAuth, err))
	case st == stageTLS:
		return channel.Temporary(code, fmt.Errorf("%s %s: %w: %w", st, addr, ErrTLS, err))
	case reply.Code >= 500 && (st == stageGreeting || st == stageHello || st == stageMail):
		return channel.Permanent(code, fmt.Errorf("%s %s: %w: %w", st, addr, ErrRelay, err))
	case reply.Code >= 500:
		return channel.Permanent(code, fmt.Errorf("%s %s: %w", st, addr, err))
	default:
		return channel.Temporary(code, fmt.Errorf("%s %s: %w", st, addr, err))
	}
}

// authRequired recognizes a refused MAIL FROM that asks for AUTH with a
// reply code other than RFC 4954's 530, as go-smtp based servers (502
// 5.7.0 Please authenticate first) do.
func authRequired(st stage, reply *textproto.Error) bool {
	return st == stageMail && reply.Code >= 500 &&
		strings.HasPrefix(reply.Msg, "5.7.0 ") &&
		strings.Contains(strings.ToLower(reply.Msg), "authenticat")
}
