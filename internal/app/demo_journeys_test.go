package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/fcm/fcmtest"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/stretchr/testify/require"
)

type journeyStats struct {
	Entered int64            `json:"entered"`
	Exited  map[string]int64 `json:"-"`
	Nodes   []struct {
		Node    string           `json:"node"`
		Active  int64            `json:"active"`
		Sent    int64            `json:"sent"`
		Skipped map[string]int64 `json:"skipped"`
	} `json:"nodes"`
}

func (s *testServer) journeyStats(id string) (journeyStats, string) {
	s.t.Helper()
	body := s.mustDo(call{method: "GET", path: "/v1/journeys/" + id + "/stats"}, http.StatusOK)
	var st journeyStats
	require.NoError(s.t, json.Unmarshal([]byte(body), &st), body)
	return st, body
}

// settle waits (bounded) until nothing is left to do at the current clock:
// the log is processed, no timer and no send is due, none is attempting.
func (s *testServer) settle() {
	s.t.Helper()
	ctx := s.t.Context()
	quiet := 0
	var last string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		st, err := s.a.Log.Stats(ctx)
		require.NoError(s.t, err)
		now := s.a.Clock.Now()
		timers, err := s.a.State.DueTimers(ctx, now, 1)
		require.NoError(s.t, err)
		due, err := s.a.State.DueSends(ctx, now, 1)
		require.NoError(s.t, err)
		busy, err := s.a.State.SendsByStatus(ctx, "attempting", 1)
		require.NoError(s.t, err)
		if s.a.Processor.Checkpoint() >= st.Head && len(timers)+len(due)+len(busy) == 0 {
			if quiet++; quiet == 3 {
				return
			}
		} else {
			last = fmt.Sprintf("checkpoint %d of %d, due timers %d, due sends %d, attempting %d", s.a.Processor.Checkpoint(), st.Head, len(timers), len(due), len(busy))
			quiet = 0
			s.a.Processor.Notify(st.Head)
			s.a.Dispatcher.Notify()
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("the server did not settle: %s", last)
}

// TestExampleJourneysOnDemoData loads the NTO demo data with the three
// example journeys, email and SMS pointed at real peers, drives the clock
// through their waits and checks the per-node counts through the API.
func TestExampleJourneysOnDemoData(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	smtp := emailtest.Start(t)
	tw := twiliotest.New(t, nil)
	push := fcmtest.New(t, nil)
	liveToken := push.NewDeviceToken()
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(
		`{"id":"email","type":"email","config":{"host":%q,"port":%d,"tls":"none","from":"hello@nto.example"}}`, smtp.Host(), smtp.Port())}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(
		`{"id":"push","type":"push","provider":"fcm","config":{"base_url":%q,"project_id":%q,"access_token":%q}}`, push.URL, push.ProjectID, push.AccessToken())}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(
		`{"id":"sms","type":"sms","provider":"twilio","config":{"base_url":%q,"account_sid":%q,"auth_token":%q,"from":%q}}`,
		tw.URL, tw.AccountSID, tw.AuthToken, twiliotest.DefaultFrom)}, http.StatusCreated)

	require.NoError(t, s.a.LoadDemo(t.Context(), DemoOptions{Customers: 200, Seed: 7}))
	s.settle()
	for _, id := range []string{"welcome-series", "abandoned-cart", "win-back"} {
		s.mustDo(call{method: "GET", path: "/v1/journeys/" + id}, http.StatusOK)
	}

	// Live traffic on top of the demo history: a sign-up, and a cart left behind.
	web := s.createSource("live-web", "web")
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"live-1","traits":{"first_name":"Lee","email":"lee@example.com","phone":"+14155550199","timezone":"America/Chicago","push_token":"` + liveToken + `","consent":{"email":true,"sms":true,"push":true}}},
	  {"type":"track","userId":"live-1","event":"Signed Up"},
	  {"type":"track","userId":"live-1","event":"Subscribed SMS"},
	  {"type":"track","userId":"live-1","event":"Checkout Started","properties":{"cart_id":"c-live-1"}}]}`}, http.StatusOK)
	s.settle()
	s.eventually("/v1/profiles/user_id:live-1/journeys", has(`"journey_id":"welcome-series"`, `"journey_id":"abandoned-cart"`))

	// Past the cart wait (1h), the welcome wait (7d) and the win-back wait (30d).
	for _, step := range []string{"2h", "168h", "720h"} {
		s.mustDo(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"` + step + `"}`}, http.StatusOK)
		s.settle()
	}
	s.eventually("/v1/profiles/user_id:live-1/messages", has(`"node_id":"reminder"`, `"node_id":"welcome-email"`))

	wel, body := s.journeyStats("welcome-series")
	require.GreaterOrEqual(t, wel.Entered, int64(1), body)
	cart, body := s.journeyStats("abandoned-cart")
	require.GreaterOrEqual(t, cart.Entered, int64(1), body)
	win, body := s.journeyStats("win-back")
	t.Logf("entered: welcome %d, cart %d, win-back %d; smtp %d, sms %d", wel.Entered, cart.Entered, win.Entered, len(smtp.Messages()), len(tw.Messages()))

	// Win-back: lapsed customers entered through Stage Changed; the 10%
	// holdout is skipped with would-have-sent; high-value customers got an
	// agent task; after 30 days those who entered at load have left the wait
	// (customers who lapsed while the clock moved may still wait).
	require.Greater(t, win.Entered, int64(20), body)
	node := func(st journeyStats, id string) (active, sent int64, skipped map[string]int64) {
		for _, n := range st.Nodes {
			if n.Node == id {
				return n.Active, n.Sent, n.Skipped
			}
		}
		t.Fatalf("node %s not in stats", id)
		return 0, 0, nil
	}
	_, offers, skipped := node(win, "offer-email")
	require.Positive(t, offers, body)
	// The 10% holdout is a hash of profile ids, which derive from the random
	// source ids of each run: the count is binomial (72 entrants: mean 7.2),
	// so only bounds that a correct holdout misses about once in 2,000 runs
	// are checked here; policy's tests check the percentage over 5,000 ids.
	// (A band of 2-18% failed about one run in fifty.)
	require.Positive(t, skipped["holdout"], body)
	require.LessOrEqual(t, float64(skipped["holdout"]), 0.25*float64(win.Entered), body)
	_, calls, _ := node(win, "agent-call")
	require.Positive(t, calls, body)
	waiting, _, _ := node(win, "wait-order")
	require.Less(t, waiting, win.Entered/4, body)
	require.Contains(t, body, `"completed":`, body)

	// Welcome: live-1 did not buy within 7 days and got the SMS coupon from the Twilio peer.
	var coupon bool
	for _, m := range tw.Messages() {
		coupon = coupon || (m.To == "+14155550199" && strings.Contains(m.Body, "TRAIL10"))
	}
	require.True(t, coupon, "the welcome coupon SMS reached the Twilio peer")
	var welcomePush bool
	for _, m := range push.Messages() {
		welcomePush = welcomePush || (m.Token == liveToken && m.Title == "Welcome to NTO, Lee")
	}
	require.True(t, welcomePush, "the app welcome push reached the FCM peer")

	// Abandoned cart: the reminder for live-1 (America/Chicago) was due at
	// 13:00Z = 07:00 local, inside quiet hours, so it went at 08:00 local.
	body = s.mustDo(call{method: "GET", path: "/v1/profiles/user_id:live-1/messages"}, http.StatusOK)
	var msgs struct {
		Messages []struct {
			NodeID string    `json:"node_id"`
			Status string    `json:"status"`
			SentAt time.Time `json:"sent_at"`
		} `json:"messages"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &msgs))
	var reminder bool
	for _, m := range msgs.Messages {
		if m.NodeID == "reminder" {
			reminder = true
			require.Equal(t, "sent", m.Status, body)
			require.Equal(t, time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC), m.SentAt.UTC(), body)
		}
	}
	require.True(t, reminder, body)
	var toLee int
	for _, m := range smtp.Messages() {
		if m.To[0] == "lee@example.com" {
			toLee++
		}
	}
	require.Equal(t, 2, toLee, "welcome and cart reminder over SMTP")
}
