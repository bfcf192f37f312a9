package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/webhook/webhooktest"
	"github.com/stretchr/testify/require"
)

// jcOutcomeCustomers is the size of TestKillBeforeOutcomeEvent.
const jcOutcomeCustomers = 20

// TestKillBeforeOutcomeEvent kills the server in the gap the unaimed kill of
// TestKillDuringJourneys lands in now and then: the dispatcher has recorded
// an email as sent (state.db) but has not yet appended the "Message Sent"
// event (log.db) that moves the customer's journey past the message node.
// The gap is held open by taking the log's write lock from the test, as a
// stalled disk would, while the SMTP server's answer is let through. After
// the restart the customer must still get past the email — without getting
// it twice — and complete the journey like everyone else.
func TestKillBeforeOutcomeEvent(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	dir := t.TempDir()
	mail := emailtest.Start(t)
	mailGate := startSMTPGate(t, mail.Addr())
	hooks := webhooktest.New(t, webhooktest.Options{})
	start := func() *server {
		return startServer(t, dir, "--clock", "manual", "--clock-start", jcStart.Format(time.RFC3339))
	}

	s := start()
	key := setupWelcomeJourney(s, mailGate, hooks.URL)
	mailGate.arm()
	load := newSignupLoad(jcOutcomeCustomers, 1000, jcOutcomeCustomers, func() int { return 0 })
	for w, err := range load.start(t, s.url, key, jcWorkers).wait(t, jcPhaseTimeout) {
		require.NoError(t, err, "signup client %d", w)
	}
	held := awaitHeld(t, s, mailGate.held, "an email held after its DATA")
	var user string
	poll(t, jcPhaseTimeout, s.exited, "the SMTP server to record the held email", func() (bool, string) {
		for _, m := range mail.Messages() {
			if m.Header.Get("X-Cairn-Key") == held {
				user = strings.TrimSuffix(m.To[0], "@example.com")
				return true, ""
			}
		}
		return false, "not recorded yet"
	})
	s.waitCaughtUp() // nothing else is writing the log: the dispatcher waits for the SMTP answer

	// Hold the log, let the 250 through: the send is recorded sent, its
	// event cannot be appended. Kill in that gap.
	unlock := lockLog(t, dir)
	require.NoError(t, mailGate.release())
	requireSent(t, s, user, held)
	s.kill()
	unlock()

	s = start()
	waitPastEmail(t, s, jcOutcomeCustomers)
	s.advanceClock(jcDelay + time.Second)
	waitCompleted(t, s, jcOutcomeCustomers)
	require.Equal(t, 1, mailKeys(mail.Messages())[held], "the email sent before the kill reached the SMTP server again")
	require.Len(t, mail.Messages(), jcOutcomeCustomers)
	require.Len(t, hookKeys(hooks.Received()), jcOutcomeCustomers)
	s.stop()
}
