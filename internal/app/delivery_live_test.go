package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/cairn-cdp/cairn/internal/policy"
	"github.com/stretchr/testify/require"
)

// sendMessage queues a transactional send through the API and returns its key.
func (s *testServer) sendMessage(template, profile string) string {
	s.t.Helper()
	body := s.mustDo(call{method: "POST", path: "/v1/messages", body: `{"template":"` + template + `","profile":"` + profile + `"}`}, http.StatusAccepted)
	var sd struct {
		Key string `json:"key"`
	}
	require.NoError(s.t, json.Unmarshal([]byte(body), &sd), body)
	return sd.Key
}

// waitSend polls a profile's messages until the send key has status and
// returns its reason.
func (s *testServer) waitSend(ref, key, status string) string {
	s.t.Helper()
	var last string
	for range 500 {
		_, body := s.do(call{method: "GET", path: "/v1/profiles/" + ref + "/messages"})
		var got struct {
			Messages []struct{ Key, Status, Reason string } `json:"messages"`
		}
		require.NoError(s.t, json.Unmarshal([]byte(body), &got), body)
		for _, m := range got.Messages {
			if m.Key == key {
				last = m.Status + " " + m.Reason
				if m.Status == status {
					return m.Reason
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("send %s of %s never reached %s (last: %s)", key, ref, status, last)
	return ""
}

// TestFeedbackInboxAndTasks covers what comes back after a send: Twilio
// status callbacks, an email bounce that suppresses the address, the in-app
// inbox behind identity verification, and the agent task queue.
func TestFeedbackInboxAndTasks(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	smtp := emailtest.Start(t)
	tw := twiliotest.New(t, nil)
	s.messagingSetup(smtp, tw)
	s.mustDo(call{method: "PUT", path: "/v1/channels/sms", body: fmt.Sprintf(
		`{"id":"sms","type":"sms","provider":"twilio","config":{"base_url":%q,"account_sid":%q,"auth_token":%q,"from":%q,"status_callback_url":%q}}`,
		tw.URL, tw.AccountSID, tw.AuthToken, twiliotest.DefaultFrom, s.url+"/v1/feedback/sms/status")}, http.StatusOK)
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"banner","name":"Banner","channel":"inapp","title":"Hi {{ profile.first_name }}","body":"Your trail guide is ready"}`}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"callback","name":"Call back","channel":"task","body":"Call {{ profile.first_name }} about their return"}`}, http.StatusCreated)
	web := s.createSource("nto-web", "web")
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"u-ann","traits":{"first_name":"Ann","email":"Ann@Example.com","phone":"+14155550123"}}]}`}, http.StatusOK)
	s.caughtUp()

	// SMS: Twilio reports delivery to the signed status callback.
	key := s.sendMessage("coupon", "user_id:u-ann")
	eventuallyTrue(t, "the SMS", func() bool { return len(tw.Messages()) == 1 })
	s.waitSend("user_id:u-ann", key, "sent")
	require.NoError(t, tw.Deliver(t.Context(), tw.Messages()[0].SID, "delivered", 0))
	s.eventually("/v1/profiles/user_id:u-ann/messages", has(`"type":"delivered"`))
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Message Delivered"`))
	// A forged callback is refused.
	code, _ := s.do(call{method: "POST", path: "/v1/feedback/sms/status?cairn_key=" + key, auth: "none", body: "MessageStatus=delivered&MessageSid=SM1"})
	require.Equal(t, http.StatusForbidden, code)

	// Email: a hard bounce of the welcome email suppresses the address; the
	// next marketing email to it is skipped.
	key = s.sendMessage("welcome", "user_id:u-ann")
	eventuallyTrue(t, "the email", func() bool { return len(smtp.Messages()) == 1 })
	msgID := smtp.Messages()[0].Header.Get("Message-Id")
	dsn, err := os.ReadFile("../channel/email/testdata/dsn-postfix-hard.eml")
	require.NoError(t, err)
	report := strings.NewReplacer("<5d2c1f0b9e8a7d6c5b4a39281706f5e4@example.com>", msgID, "j7:v3:inst-0042:welcome-email:0", key,
		"nobody@example.org", "ann@example.com").Replace(string(dsn))
	body := s.mustDo(call{method: "POST", path: "/v1/feedback/email", body: report}, http.StatusOK)
	require.Contains(t, body, `"type":"bounced"`)
	require.Contains(t, body, `"hard":true`)
	s.eventually("/v1/suppressions?channel=email", has(`"address":"ann@example.com"`, `"reason":"hard_bounce"`))
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Message Bounced"`))
	key = s.sendMessage("welcome", "user_id:u-ann")
	require.Equal(t, "suppressed", s.waitSend("user_id:u-ann", key, "skipped"))
	require.Len(t, smtp.Messages(), 1)

	// In-app: only with the write key and the identity-verification hash.
	s.mustDo(call{method: "PUT", path: "/v1/settings/messaging", body: `{"identity_verification_secret":"s3cret-for-apps"}`}, http.StatusOK)
	key = s.sendMessage("banner", "user_id:u-ann")
	s.waitSend("user_id:u-ann", key, "sent")
	inbox := func(hash string) int {
		req, err := http.NewRequestWithContext(t.Context(), "GET", s.url+"/v1/inapp/user_id:u-ann", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", basic(web))
		req.Header.Set("X-Cairn-User-Hash", hash)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusUnauthorized, inbox(policy.UserHash([]byte("wrong"), "u-ann")))
	require.Equal(t, http.StatusUnauthorized, inbox(""))
	good := policy.UserHash([]byte("s3cret-for-apps"), "u-ann")
	req, err := http.NewRequestWithContext(t.Context(), "GET", s.url+"/v1/inapp/user_id:u-ann", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", basic(web))
	req.Header.Set("X-Cairn-User-Hash", good)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var got struct {
		Messages []struct {
			Key     string          `json:"key"`
			Content json.RawMessage `json:"content"`
			Seen    bool            `json:"seen"`
		} `json:"messages"`
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, json.Unmarshal(raw, &got), string(raw))
	_, all := s.do(call{method: "GET", path: "/v1/profiles/user_id:u-ann/messages"})
	require.Len(t, got.Messages, 1, string(raw)+all)
	require.JSONEq(t, `{"title":"Hi Ann","body":"Your trail guide is ready"}`, string(got.Messages[0].Content))
	seen, err := http.NewRequestWithContext(t.Context(), "POST", s.url+"/v1/inapp/user_id:u-ann/messages/"+key+"/seen", nil)
	require.NoError(t, err)
	seen.Header.Set("Authorization", basic(web))
	seen.Header.Set("X-Cairn-User-Hash", good)
	resp, err = http.DefaultClient.Do(seen)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Message Opened"`))

	// Agent tasks: listed with the customer summary, claimed, completed; the
	// outcome is a call-center touchpoint.
	key = s.sendMessage("callback", "user_id:u-ann")
	body = s.eventually("/v1/agent/tasks", has(`"key":"`+key+`"`))
	require.Contains(t, body, `"reason":"Call Ann about their return"`)
	require.Contains(t, body, `"first_name":"Ann"`)
	s.mustDo(call{method: "POST", path: "/v1/agent/tasks/" + key + "/claim", body: `{"agent":"alex"}`}, http.StatusOK)
	s.mustDo(call{method: "POST", path: "/v1/agent/tasks/" + key + "/claim", body: `{"agent":"sam"}`}, http.StatusConflict)
	s.mustDo(call{method: "POST", path: "/v1/agent/tasks/" + key + "/complete", body: `{"outcome":"nope"}`}, http.StatusBadRequest)
	s.mustDo(call{method: "POST", path: "/v1/agent/tasks/" + key + "/complete", body: `{"outcome":"converted","agent":"alex","note":"took the offer"}`}, http.StatusOK)
	body = s.eventually("/v1/profiles/user_id:u-ann/events", has(`"event":"Agent Task Completed"`))
	require.Contains(t, body, `"channel":"call_center"`)
	s.eventually("/v1/agent/tasks?state=completed", has(`"outcome":"converted"`))
}
