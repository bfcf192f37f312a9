package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/webhook/webhooktest"
	"github.com/stretchr/testify/require"
)

// Shape of TestKillDuringJourneys.
const (
	jcCustomers       = 1000
	jcWorkers         = 8
	jcRate            = 100 // signups a second at most
	jcLead            = 200 // customers the signups may run ahead of the welcome emails
	jcHooksBeforeHold = 50  // webhooks delivered after the clock moved before one is held
	jcDelay           = time.Hour
	jcPhaseTimeout    = 30 * time.Second
	jcSettleTimeout   = 60 * time.Second

	// jcResentReason is the reason Dispatcher.Recover records on a webhook
	// send it found attempting (internal/delivery/recover.go).
	jcResentReason = "resent after a crash (same key)"
)

// jcStart is the manual clock's start.
var jcStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// welcomeHookJourney: a welcome email, an hour, then a webhook.
const welcomeHookJourney = `{"definition":{"id":"welcome","name":"Welcome",
  "entry":{"event":{"name":"Signed Up"},"next":"hello"},
  "nodes":[
    {"id":"hello","message":{"channel":"email","template":"welcome"},"next":"wait"},
    {"id":"wait","delay":{"duration":"1h"},"next":"hook"},
    {"id":"hook","webhook":{"channel":"hooks","body":"{\"email\":\"{{ profile.email }}\",\"key\":\"{{ message.key }}\"}"},"next":"done"},
    {"id":"done","exit":{}}]}}`

// TestKillDuringJourneys runs a journey (email → 1 h delay → webhook) for
// customers signing up from concurrent clients and kills the server with
// SIGKILL three times mid-load: once unaimed while welcome emails flow, once
// while a webhook is in flight (the receiver has it, the server does not
// know), once while an email is in flight (the SMTP server accepted it, the
// server does not know). After the last restart it finishes the load,
// drives the clock past the delay and checks the delivery guarantees: each
// customer has exactly one email and one webhook send; no email is sent
// twice and every email missing at the SMTP server is "unknown"; every
// webhook arrived and only sends resent after a crash arrived twice; timers
// pending at a crash fired after it; the ledger, the journey stats and
// cairn_sends_ambiguous_total agree. The unaimed kill sometimes lands
// between the dispatcher recording a send sent and appending its "Message
// Sent" event; TestKillBeforeOutcomeEvent aims at that gap.
func TestKillDuringJourneys(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	dir := t.TempDir()
	mail := emailtest.Start(t)
	mailGate := startSMTPGate(t, mail.Addr())
	hooks := webhooktest.New(t, webhooktest.Options{})
	hookGate := startHookGate(t, hooks.URL)
	start := func(at time.Time) *server {
		return startServer(t, dir, "--clock", "manual", "--clock-start", at.Format(time.RFC3339))
	}
	load := newSignupLoad(jcCustomers, jcRate, jcLead, func() int { return int(mailGate.messages.Load()) })
	var ambiguous []map[string]int // cairn_sends_ambiguous_total of each process, before it died
	began := time.Now()

	emailed := func() int { return len(mail.Messages()) }
	hooked := func() int { return len(hooks.Received()) }

	// Crash 1, unaimed: a fifth of the customers got their welcome email.
	s := start(jcStart)
	key := setupWelcomeJourney(s, mailGate, hookGate.url)
	run := load.start(t, s.url, key, jcWorkers)
	waitCount(t, s, "welcome emails", jcCustomers/5, emailed)
	waitingAt1 := s.profilesAt("wait")
	killMidLoad(t, s, load, run, "crash 1 (unaimed)")

	// Crash 2: the hour passes and the entered customers' timers fire; a
	// webhook reaches the receiver but its answer never comes back.
	s = start(jcStart)
	run = load.start(t, s.url, key, jcWorkers)
	now := s.advanceClock(jcDelay + time.Second)
	waitCount(t, s, "webhooks", jcHooksBeforeHold, hooked)
	hookGate.arm()
	heldHook := awaitHeld(t, s, hookGate.held, "a webhook held at the receiver")
	require.Contains(t, hookKeys(hooks.Received()), heldHook, "the held webhook did not reach the receiver")
	ambiguous = append(ambiguous, s.ambiguousSends())
	killMidLoad(t, s, load, run, "crash 2 (webhook in flight)")

	// Crash 3: another tenth of the customers got their email; then one is
	// accepted by the SMTP server, whose 250 never comes back.
	s = start(now)
	run = load.start(t, s.url, key, jcWorkers)
	waitCount(t, s, "welcome emails", emailed()+jcCustomers/10, emailed)
	mailGate.arm()
	heldMail := awaitHeld(t, s, mailGate.held, "an email held after its DATA")
	poll(t, jcPhaseTimeout, s.exited, "the SMTP server to record the held email", func() (bool, string) {
		return mailKeys(mail.Messages())[heldMail] == 1, "not recorded yet"
	})
	ambiguous = append(ambiguous, s.ambiguousSends())
	waitingAt3 := s.profilesAt("wait")
	killMidLoad(t, s, load, run, "crash 3 (email in flight)")
	hooksAt3 := hookKeys(hooks.Received())

	// Finish: every customer signs up, the hour passes, everyone exits.
	s = start(now)
	run = load.start(t, s.url, key, jcWorkers)
	for w, err := range run.wait(t, jcSettleTimeout) {
		require.NoError(t, err, "signup client %d after the last restart", w)
	}
	require.Zero(t, load.unsent(), "customers never acknowledged")
	t.Logf("load done after %s", time.Since(began).Round(time.Millisecond))
	waitPastEmail(t, s, jcCustomers)
	t.Logf("all past the email after %s", time.Since(began).Round(time.Millisecond))
	s.advanceClock(jcDelay + time.Second)
	waitCompleted(t, s, jcCustomers)
	t.Logf("all done after %s", time.Since(began).Round(time.Millisecond))
	ambiguous = append(ambiguous, s.ambiguousSends())
	t.Logf("%d customers through three kills in %s; %d lost and %d refused signup requests; held webhook %s, held email %s",
		jcCustomers, time.Since(began).Round(time.Millisecond), load.lost, load.refused, heldHook, heldMail)

	// The ledger: exactly one email and one webhook send per customer.
	sends, err := s.customerSends(t.Context(), jcCustomers, 4)
	require.NoError(t, err)
	emails, webhooks := map[string]journeySend{}, map[string]journeySend{}
	owner := map[string]int{} // send key → customer
	for i, ss := range sends {
		require.Len(t, ss, 2, "sends of %s: %+v", jcUser(i), ss)
		for _, sd := range ss {
			require.Equal(t, "welcome", sd.JourneyID, "send %s of %s", sd.Key, jcUser(i))
			owner[sd.Key] = i
			switch sd.NodeID {
			case "hello":
				require.Equal(t, "email", sd.Channel)
				require.Contains(t, []string{"sent", "unknown"}, sd.Status, "email %s of %s: %+v", sd.Key, jcUser(i), sd)
				require.Equal(t, jcEmail(i), sd.To)
				emails[sd.Key] = sd
			case "hook":
				require.Equal(t, "hooks", sd.Channel)
				require.Equal(t, "sent", sd.Status, "webhook %s of %s: %+v", sd.Key, jcUser(i), sd)
				webhooks[sd.Key] = sd
			default:
				t.Fatalf("send %s of %s is from node %q", sd.Key, jcUser(i), sd.NodeID)
			}
		}
	}
	require.Len(t, emails, jcCustomers, "customers with a welcome email send")
	require.Len(t, webhooks, jcCustomers, "customers with a webhook send")

	// Email: no Message-ID twice; every email the SMTP server lacks is
	// unknown; the one held at crash 3 is unknown and was not resent.
	got := map[string]int{} // send key → messages received
	for _, m := range mail.Messages() {
		k := m.Header.Get("X-Cairn-Key")
		_, ok := emails[k]
		require.True(t, ok, "the SMTP server got a message for no email send (X-Cairn-Key %q)", k)
		require.Equal(t, messageIDOf(k, "nto.example"), m.Header.Get("Message-Id"), "Message-ID of send %s", k)
		got[k]++
	}
	var unknown, missing, unknownDelivered []string
	for k, sd := range emails {
		require.LessOrEqual(t, got[k], 1, "email %s (%s, %s) reached the SMTP server %d times", k, jcUser(owner[k]), sd.Status, got[k])
		switch {
		case sd.Status == "sent":
			require.Equal(t, 1, got[k], "email %s of %s is sent in the ledger but the SMTP server never got it", k, jcUser(owner[k]))
			require.Equal(t, messageIDOf(k, "nto.example"), sd.ProviderID)
		case got[k] == 0:
			unknown, missing = append(unknown, k), append(missing, k)
		default:
			unknown, unknownDelivered = append(unknown, k), append(unknownDelivered, k)
		}
	}
	t.Logf("email: %d unknown (%d missing at the SMTP server, %d delivered): %v", len(unknown), len(missing), len(unknownDelivered), unknown)
	require.Contains(t, unknownDelivered, heldMail, "the email held at crash 3 is neither unknown nor delivered once")
	// The dispatcher delivers up to 16 customers at once, so a kill can
	// catch that many emails in flight (crashes 1 and 3).
	require.LessOrEqual(t, len(unknown), 2*16, "more emails unknown than kills with every worker in flight could explain")

	// Webhooks: every one arrived; only those resent after a crash twice.
	first := hookKeys(hooks.Received())
	for k := range webhooks {
		require.Equal(t, 1, first[k], "webhook %s of %s never reached the receiver", k, jcUser(owner[k]))
	}
	require.Len(t, first, jcCustomers, "the receiver got keys that are no webhook send")
	var resent []string
	for k, sd := range webhooks {
		if sd.Reason == jcResentReason {
			resent = append(resent, k)
			require.Equal(t, 2, sd.Attempts, "resent webhook %s", k)
		} else {
			require.Equal(t, 1, sd.Attempts, "webhook %s (reason %q)", k, sd.Reason)
		}
	}
	var dups []string
	for _, r := range hooks.Duplicates() {
		dups = append(dups, r.Key)
		require.Contains(t, resent, r.Key, "webhook %s arrived twice but was not resent after a crash", r.Key)
	}
	t.Logf("webhook: %d resent after a crash %v, %d duplicates at the receiver %v", len(resent), resent, len(dups), dups)
	// The webhook held at crash 2 is always among them; the dispatcher
	// delivers customers concurrently, so others may have been in flight at
	// a kill too — each duplicate must then be a recorded resend (above).
	// Some resent webhooks had not reached the receiver before the kill, so
	// they arrived once: resent ⊇ duplicates, checked above.
	require.Contains(t, dups, heldHook, "the webhook held at crash 2 was resent")
	require.LessOrEqual(t, len(resent), 3*16, "more resent webhooks than the kills with every worker in flight could explain")
	require.Empty(t, hooks.Rejected())

	// Timers resumed: the customers waiting out the delay at a crash (their
	// timer was stored) got their webhook, after the crash — before crash 1
	// the clock had not moved, and before crash 3 their hour had not passed.
	hookOf := map[string]string{} // profile → webhook send key
	for k, sd := range webhooks {
		hookOf[sd.ProfileID] = k
	}
	t.Logf("timers: %d customers waited out the delay at crash 1, %d at crash 3", len(waitingAt1), len(waitingAt3))
	require.NotEmpty(t, waitingAt1, "nobody was waiting at crash 1: no timer outlived a crash")
	require.NotEmpty(t, waitingAt3, "nobody was waiting at crash 3: no timer outlived a crash")
	for _, p := range append(waitingAt1, waitingAt3...) {
		require.Contains(t, hookOf, p, "profile %s waited at a crash and has no webhook send", p)
	}
	for _, p := range waitingAt3 {
		require.Zero(t, hooksAt3[hookOf[p]], "profile %s got its webhook before its hour had passed", p)
	}

	// Stats and metrics agree with the ledger.
	st := s.journeyStats("welcome")
	require.EqualValues(t, jcCustomers, st.Entered)
	require.Equal(t, map[string]int64{"completed": jcCustomers}, st.Exited)
	for _, c := range []struct {
		node          string
		sent, unknown int
	}{{"hello", jcCustomers - len(unknown), len(unknown)}, {"hook", jcCustomers, 0}} {
		ns := st.node(c.node)
		require.Equal(t, [5]int64{0, 0, int64(c.sent), 0, int64(c.unknown)}, [5]int64{ns.Queued, ns.Attempting, ns.Sent, ns.Failed, ns.Unknown},
			"node %s: queued, attempting, sent, failed, unknown", c.node)
		require.Empty(t, ns.Skipped, "node %s", c.node)
	}
	total := map[string]int{}
	for _, m := range ambiguous {
		for k, v := range m {
			total[k] += v
		}
	}
	want := map[string]int{}
	if len(unknown) > 0 {
		want["email/unknown"] = len(unknown)
	}
	if len(resent) > 0 {
		want["hooks/resent"] = len(resent)
	}
	require.Equal(t, want, total, "cairn_sends_ambiguous_total summed over the restarted processes (per process: %v)", ambiguous)
	s.stop()
}

// setupWelcomeJourney configures the email channel (through the SMTP gate),
// the webhook channel, the template and the journey, publishes it and
// returns a write key.
func setupWelcomeJourney(s *server, mailGate *smtpGate, hookURL string) string {
	s.t.Helper()
	s.apiJSON(http.MethodPost, "/v1/channels", map[string]any{"id": "email", "type": "email", "config": map[string]any{
		"host": mailGate.host(), "port": mailGate.port(), "tls": "none", "from": "hello@nto.example", "from_name": "Northern Trail Outfitters",
	}}, http.StatusCreated, nil)
	s.apiJSON(http.MethodPost, "/v1/channels", map[string]any{"id": "hooks", "type": "webhook", "config": map[string]any{"url": hookURL + "/signups"}},
		http.StatusCreated, nil)
	s.apiJSON(http.MethodPost, "/v1/templates", map[string]any{"id": "welcome", "name": "Welcome", "channel": "email",
		"subject": "Welcome, {{ profile.first_name }}!", "html": "<p>Hi {{ profile.first_name }}, welcome aboard.</p>"}, http.StatusCreated, nil)
	status, body := s.api(http.MethodPost, "/v1/journeys", rawJSON(welcomeHookJourney))
	require.Equal(s.t, http.StatusCreated, status, "POST /v1/journeys: %s", body)
	s.apiJSON(http.MethodPost, "/v1/journeys/welcome/publish", nil, http.StatusOK, nil)
	return s.createSource("jc-web", "web")
}

// killMidLoad kills the server while a signup request is in flight — the
// next one written after the call — or, if none comes within a second (the
// clients wait for the emails to catch up), right away. The load must not
// be over: the kill is mid-load.
func killMidLoad(t *testing.T, s *server, load *signupLoad, run *loadRun, what string) {
	t.Helper()
	unsent := load.unsent()
	require.Positive(t, unsent, "%s: the load was over before the kill", what)
	killed := make(chan struct{})
	kill := func() { s.kill(); close(killed) }
	load.onWrote.Store(&kill)
	inFlight := true
	select {
	case <-killed:
	case <-time.After(time.Second):
		if load.onWrote.CompareAndSwap(&kill, nil) {
			inFlight = false
			kill()
		}
		<-killed
	}
	run.cancel() // clients waiting for the emails to catch up send nothing to fail on
	run.wait(t, stopTimeout)
	t.Logf("%s after %s: killed with %d of %d customers not acknowledged (a request in flight: %t)",
		what, time.Since(load.began).Round(time.Millisecond), unsent, load.n, inFlight)
}

// waitCount waits until count() reaches want.
func waitCount(t *testing.T, s *server, what string, want int, count func() int) {
	t.Helper()
	poll(t, jcPhaseTimeout, s.exited, fmt.Sprintf("%d %s", want, what), func() (bool, string) {
		n := count()
		return n >= want, fmt.Sprintf("%d %s", n, what)
	})
}

// awaitHeld waits for a gate to hold a send and returns its key.
func awaitHeld(t *testing.T, s *server, held <-chan string, what string) string {
	t.Helper()
	select {
	case k := <-held:
		require.NotEmpty(t, k, "%s: no send key", what)
		return k
	case <-s.exited:
		t.Fatalf("waiting for %s: the server exited", what)
	case <-time.After(jcPhaseTimeout):
		t.Fatalf("waiting for %s: gave up after %s", what, jcPhaseTimeout)
	}
	return ""
}

// mailKeys counts received messages by X-Cairn-Key.
func mailKeys(ms []emailtest.Received) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		out[m.Header.Get("X-Cairn-Key")]++
	}
	return out
}

// hookKeys counts first deliveries by Idempotency-Key.
func hookKeys(rs []webhooktest.Request) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		out[r.Key]++
	}
	return out
}

// messageIDOf is the Message-ID the SMTP adapter derives from a send key:
// "<" + hex(SHA-256(key))[:32] + "@" + domain + ">".
func messageIDOf(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	return "<" + hex.EncodeToString(sum[:])[:32] + "@" + domain + ">"
}

// rawJSON is a request body that is already JSON.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
