package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/stretchr/testify/require"
)

// eventuallyTrue polls a condition (bounded) — for things observed outside the API.
func eventuallyTrue(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 500 {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never happened", what)
}

func (s *testServer) mustDo(c call, want int) string {
	s.t.Helper()
	code, body := s.do(c)
	require.Equal(s.t, want, code, "%s %s: %s", c.method, c.path, body)
	return body
}

// messagingSetup configures an SMTP channel, a Twilio channel, templates and
// a subscription group against local peers.
func (s *testServer) messagingSetup(smtp *emailtest.Server, tw *twiliotest.Server) {
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(
		`{"id":"email","type":"email","config":{"host":%q,"port":%d,"tls":"none","from":"hello@nto.example","from_name":"Northern Trail Outfitters"}}`,
		smtp.Host(), smtp.Port())}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(
		`{"id":"sms","type":"sms","provider":"twilio","config":{"base_url":%q,"account_sid":%q,"auth_token":%q,"from":%q}}`,
		tw.URL, tw.AccountSID, tw.AuthToken, twiliotest.DefaultFrom)}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"welcome","name":"Welcome","channel":"email",
	  "subject":"Welcome, {{ profile.first_name | default: \"friend\" }}!",
	  "html":"<p>Hi {{ profile.first_name }}, welcome to NTO. <a href=\"https://nto.example/shop\">Shop now</a></p>"}`}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"coupon","name":"Coupon","channel":"sms",
	  "body":"{{ profile.first_name }}, here is 10% off your first order: WELCOME10"}`}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/subscription-groups", body: `{"id":"newsletter","name":"Newsletter","channel":"email","type":"opt_out"}`}, http.StatusCreated)
}

const welcomeJourney = `{"definition":{"id":"welcome","name":"Welcome series",
  "entry":{"event":{"name":"Signed Up"},"next":"hello"},
  "nodes":[
    {"id":"hello","message":{"channel":"email","template":"welcome","subscription_group":"newsletter"},"next":"wait"},
    {"id":"wait","wait":{"branches":[{"event":{"name":"Order Completed"},"next":"done"}],"timeout":"7d","timeout_next":"coupon"}},
    {"id":"coupon","message":{"channel":"sms","template":"coupon"},"next":"done"},
    {"id":"done","exit":{}}],
  "goals":[{"id":"first_order","event":{"name":"Order Completed"},"within":"14d"}]}}`

func TestWelcomeJourneyEndToEnd(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	smtp := emailtest.Start(t)
	tw := twiliotest.New(t, nil)
	s.messagingSetup(smtp, tw)
	web := s.createSource("nto-web", "web")

	// Publishing validates references: an unknown template is named.
	bad := strings.Replace(welcomeJourney, `"template":"coupon"`, `"template":"nope"`, 1)
	s.mustDo(call{method: "POST", path: "/v1/journeys", body: strings.Replace(bad, `"id":"welcome"`, `"id":"broken"`, 1)}, http.StatusCreated)
	body := s.mustDo(call{method: "POST", path: "/v1/journeys/broken/publish"}, http.StatusUnprocessableEntity)
	require.Contains(t, body, `unknown template \"nope\"`)

	s.mustDo(call{method: "POST", path: "/v1/journeys", body: welcomeJourney}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/journeys/welcome/publish"}, http.StatusOK)

	signup := func(user, name, email, phone string) string {
		return fmt.Sprintf(`{"type":"identify","userId":%q,"traits":{"first_name":%q,"email":%q,"phone":%q}},
		  {"type":"track","userId":%q,"event":"Signed Up"}`, user, name, email, phone, user)
	}
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[` +
		signup("u-ann", "Ann", "ann@example.com", "+14155550123") + `,` +
		signup("u-bob", "Bob", "bob@example.com", "+14155550124") + `]}`}, http.StatusOK)

	// Both get the welcome email over a real SMTP conversation.
	eventuallyTrue(t, "two welcome emails", func() bool { return len(smtp.Messages()) == 2 })
	for _, m := range smtp.Messages() {
		require.Equal(t, "hello@nto.example", m.From)
		require.Regexp(t, `^Welcome, (Ann|Bob)!$`, m.Header.Get("Subject"))
		require.NotEmpty(t, m.Header.Get("List-Unsubscribe"))
		require.Regexp(t, `^<[0-9a-f]{32}@nto.example>$`, m.Header.Get("Message-Id"))
		require.Contains(t, string(m.Data), "/t/c/", "links are click-tracked")
	}
	s.eventually("/v1/profiles/user_id:u-ann/messages", has(`"status":"sent"`, `"channel":"email"`))

	// Bob buys (the goal); Ann does not, and gets the SMS coupon after 7 days.
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[{"type":"track","userId":"u-bob","event":"Order Completed","properties":{"revenue":80}}]}`}, http.StatusOK)
	s.eventually("/v1/profiles/user_id:u-bob/journeys", has(`"exit_reason":"goal"`))
	s.caughtUp()
	s.eventually("/v1/profiles/user_id:u-ann/journeys", has(`"node":"wait"`))
	s.mustDo(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"168h1s"}`}, http.StatusOK)
	eventuallyTrue(t, "the coupon SMS", func() bool { return len(tw.Messages()) == 1 })
	sms := tw.Messages()[0]
	require.Equal(t, "+14155550123", sms.To)
	require.Equal(t, "Ann, here is 10% off your first order: WELCOME10", sms.Body)
	s.eventually("/v1/profiles/user_id:u-ann/journeys", has(`"exit_reason":"completed"`))

	// Per-node counts through the API.
	body = s.eventually("/v1/journeys/welcome/stats", has(`"entered":2`))
	require.Contains(t, body, `"goal"`)
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Journey Entered"`, `"event":"Message Sent"`, `"event":"Journey Exited"`))
}
