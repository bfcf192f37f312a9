package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	rudder "github.com/rudderlabs/analytics-go/v4"
	segment "github.com/segmentio/analytics-go/v3"
	"github.com/stretchr/testify/require"
)

// TestGoSDKs sends a customer journey through the unmodified official Go
// clients of Segment (web source) and RudderStack (server source, gzip on by
// default) and checks the unified profiles through the management API.
func TestGoSDKs(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	segKey := s.createSource("segment-go-web", "web")
	rudKey := s.createSource("rudder-go-server", "server")

	sendSegmentGo(t, s.url, segKey)
	wire := sendRudderGo(t, s.url, rudKey)

	st := s.waitCaughtUp()
	require.EqualValues(t, 14, st.Stored, "stored events (7 per SDK): %+v", st)
	require.Zero(t, st.Rejected, "no SDK event may be rejected: %+v", st)
	require.Zero(t, st.Duplicates, "%+v", st)

	// Anonymous browsing on two devices, identify on the laptop, alias of the
	// phone's anonymous id: one customer.
	checkProfile(t, s, wantProfile{
		ref:    "user_id:sg-user-1",
		sameAs: []string{"anonymous_id:sg-anon-laptop", "anonymous_id:sg-anon-phone", "email:PIA.GO@example.com"},
		ids: []string{
			"anonymous_id:sg-anon-laptop", "anonymous_id:sg-anon-phone", "email:pia.go@example.com", "user_id:sg-user-1",
		},
		traits: map[string]any{"name": "Pia Go", "plan": "pro", "address.city": "Portland"},
		// page, track, page (phone), identify, track, alias, group
		eventCount: 7, channels: []string{"web"}, groups: []string{"sg-acct-1"}, mergedFrom: 1,
	})

	// The server source: rudder-go invents an anonymousId on every track, page
	// and group call; none of them may become an identity.
	checkProfile(t, s, wantProfile{
		ref:    "user_id:rg-user-1",
		sameAs: []string{"anonymous_id:rg-anon-1", "email:rex.go@example.com", "phone:+14155550142"},
		ids: []string{
			"anonymous_id:rg-anon-1", "email:rex.go@example.com", "phone:+14155550142", "user_id:rg-user-1",
		},
		traits: map[string]any{"name": "Rex Go"},
		// track (anonymous), identify, track, track, page, alias, group
		eventCount: 7, channels: []string{"server"}, groups: []string{"rg-acct-1"}, mergedFrom: 1,
	})
	requireInventedAnonymousIDs(t, s, "user_id:rg-user-1", []string{"rg-anon-1"}, 4)

	require.NotZero(t, wire.requests.Load(), "rudder-go sent no request")
	require.Equal(t, wire.requests.Load(), wire.gzipped.Load(), "rudder-go gzips every batch by default")
	require.Empty(t, wire.badStatus(), "collection answers to rudder-go (want 200)")
}

// sdkCallback counts the SDK's per-message delivery results (both SDKs have
// the same Callback shape, with their own Message types).
type sdkCallback[M any] struct {
	ok   atomic.Int64
	mu   sync.Mutex
	errs []string
}

func (c *sdkCallback[M]) Success(M) { c.ok.Add(1) }

func (c *sdkCallback[M]) Failure(_ M, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, err.Error())
}

func (c *sdkCallback[M]) failures() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.errs
}

// sdkLogger collects the SDKs' log lines (shown if delivery failed).
type sdkLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *sdkLogger) Logf(format string, args ...any)   { l.add("INFO "+format, args) }
func (l *sdkLogger) Errorf(format string, args ...any) { l.add("ERROR "+format, args) }

func (l *sdkLogger) add(format string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l *sdkLogger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func sendSegmentGo(t *testing.T, url, writeKey string) {
	t.Helper()
	cb := &sdkCallback[segment.Message]{}
	log := &sdkLogger{}
	c, err := segment.NewWithConfig(writeKey, segment.Config{Endpoint: url, Callback: cb, Logger: log})
	require.NoError(t, err)
	msgs := []segment.Message{
		segment.Page{AnonymousId: "sg-anon-laptop", Name: "Home"},
		segment.Track{AnonymousId: "sg-anon-laptop", Event: "Product Viewed",
			Properties: segment.NewProperties().Set("product_id", "p-100").SetPrice(89.5)},
		segment.Page{AnonymousId: "sg-anon-phone", Name: "Sale"},
		segment.Identify{UserId: "sg-user-1", AnonymousId: "sg-anon-laptop", Traits: segment.NewTraits().
			SetEmail("Pia.Go@Example.COM").SetName("Pia Go").Set("plan", "pro").Set("address", map[string]any{"city": "Portland"})},
		segment.Track{UserId: "sg-user-1", AnonymousId: "sg-anon-laptop", Event: "Order Completed",
			Properties: segment.NewProperties().SetRevenue(89.5).Set("order_id", "o-1")},
		segment.Alias{PreviousId: "sg-anon-phone", UserId: "sg-user-1"},
		segment.Group{UserId: "sg-user-1", AnonymousId: "sg-anon-laptop", GroupId: "sg-acct-1",
			Traits: segment.NewTraits().SetName("NTO Outfitters").Set("plan", "enterprise")},
	}
	for _, m := range msgs {
		require.NoError(t, c.Enqueue(m))
	}
	require.NoError(t, c.Close(), "segment-go Close (flush)")
	require.Empty(t, cb.failures(), "segment-go delivery failures; SDK log:\n%s", log)
	require.EqualValues(t, len(msgs), cb.ok.Load(), "segment-go delivered messages; SDK log:\n%s", log)
}

// wireRecorder is an http.RoundTripper that notes how rudder-go's requests
// were encoded and answered, leaving them untouched.
type wireRecorder struct {
	next     http.RoundTripper
	requests atomic.Int64
	gzipped  atomic.Int64
	mu       sync.Mutex
	bad      []string
}

func (w *wireRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost {
		w.requests.Add(1)
		if r.Header.Get("Content-Encoding") == "gzip" {
			w.gzipped.Add(1)
		}
	}
	res, err := w.next.RoundTrip(r)
	if err == nil && r.Method == http.MethodPost && res.StatusCode != http.StatusOK {
		w.mu.Lock()
		w.bad = append(w.bad, r.URL.Path+": "+res.Status)
		w.mu.Unlock()
	}
	return res, err
}

func (w *wireRecorder) badStatus() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.bad
}

func sendRudderGo(t *testing.T, url, writeKey string) *wireRecorder {
	t.Helper()
	cb := &sdkCallback[rudder.Message]{}
	log := &sdkLogger{}
	wire := &wireRecorder{next: http.DefaultTransport}
	c, err := rudder.NewWithConfig(writeKey, rudder.Config{DataPlaneUrl: url, Callback: cb, Logger: log, Transport: wire})
	require.NoError(t, err)
	msgs := []rudder.Message{
		rudder.Track{AnonymousId: "rg-anon-1", Event: "Guide Downloaded"},
		rudder.Identify{UserId: "rg-user-1", Traits: rudder.NewTraits().
			SetEmail("rex.go@example.com").SetPhone("+1 415 555 0142").SetName("Rex Go")},
		rudder.Track{UserId: "rg-user-1", Event: "Order Completed", Properties: rudder.NewProperties().SetRevenue(120)},
		rudder.Track{UserId: "rg-user-1", Event: "Order Refunded", Properties: rudder.NewProperties().SetRevenue(20)},
		rudder.Page{UserId: "rg-user-1", Name: "Account"},
		rudder.Alias{PreviousId: "rg-anon-1", UserId: "rg-user-1"},
		rudder.Group{UserId: "rg-user-1", GroupId: "rg-acct-1", Traits: rudder.NewTraits().SetName("Rex Co")},
	}
	for _, m := range msgs {
		require.NoError(t, c.Enqueue(m))
	}
	require.NoError(t, c.Close(), "rudder-go Close (flush)")
	require.Empty(t, cb.failures(), "rudder-go delivery failures; SDK log:\n%s", log)
	require.EqualValues(t, len(msgs), cb.ok.Load(), "rudder-go delivered messages; SDK log:\n%s", log)
	return wire
}
