package app

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/stretchr/testify/require"
)

// A STOP reply unsubscribes the customer from SMS marketing at once; START
// subscribes them again. Forged replies are refused.
func TestSMSStopAndStart(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tw := twiliotest.New(t, nil)
	s.messagingSetup(emailtest.Start(t), tw)
	inboundURL := s.url + "/v1/feedback/sms/inbound"
	s.mustDo(call{method: "PUT", path: "/v1/channels/sms", body: fmt.Sprintf(
		`{"id":"sms","type":"sms","provider":"twilio","config":{"base_url":%q,"account_sid":%q,"auth_token":%q,"from":%q,"inbound_url":%q}}`,
		tw.URL, tw.AccountSID, tw.AuthToken, twiliotest.DefaultFrom, inboundURL)}, http.StatusOK)
	web := s.createSource("nto-web", "web")
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"u-ann","traits":{"first_name":"Ann","phone":"+14155550123"}}]}`}, http.StatusOK)
	s.caughtUp()
	reply := func(body string) {
		require.NoError(t, tw.PostSigned(t.Context(), inboundURL, url.Values{
			"MessageSid": {"SM" + body}, "From": {"+14155550123"}, "To": {twiliotest.DefaultFrom}, "Body": {body}}))
	}

	reply("  stop ")
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Unsubscribed"`, `"source":"sms_keyword"`))
	key := s.sendMessage("coupon", "user_id:u-ann")
	require.Equal(t, "consent", s.waitSend("user_id:u-ann", key, "skipped"))

	reply("START")
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Subscribed"`))
	key = s.sendMessage("coupon", "user_id:u-ann")
	s.waitSend("user_id:u-ann", key, "sent")

	code, _ := s.do(call{method: "POST", path: "/v1/feedback/sms/inbound", auth: "none", body: "From=%2B14155550123&Body=START"})
	require.Equal(t, http.StatusForbidden, code, "an unsigned reply is refused")
}
