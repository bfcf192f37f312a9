package twilio_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/channel/twilio"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/cairn-cdp/cairn/internal/clock"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func config(tw *twiliotest.Server) twilio.Config {
	return twilio.Config{
		BaseURL:    tw.URL,
		AccountSID: tw.AccountSID,
		AuthToken:  tw.AuthToken,
		From:       twiliotest.DefaultFrom,
	}
}

func newSender(tb testing.TB, cfg twilio.Config, clk clock.Clock) *twilio.Sender {
	tb.Helper()
	s, err := twilio.New(cfg, nil, clk, nil)
	require.NoError(tb, err)
	return s
}

func sms(key, to, text string) channel.Message {
	return channel.Message{Key: key, Channel: channel.SMS, To: to, Text: text}
}
