package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cairn-cdp/cairn/internal/channel/email/emailtest"
	"github.com/cairn-cdp/cairn/internal/channel/twilio/twiliotest"
	"github.com/stretchr/testify/require"
)

// Publishing a new version with a node map moves the customers waiting in
// the old version onto the new one; without it they drain on the old.
func TestPublishWithMigration(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	smtp := emailtest.Start(t)
	s.messagingSetup(smtp, twiliotest.New(t, nil))
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"welcome2","name":"Welcome v2","channel":"email","subject":"Welcome v2","text":"Hi"}`}, http.StatusCreated)
	web := s.createSource("nto-web", "web")
	v1 := `{"definition":{"id":"drip","name":"Drip","entry":{"event":{"name":"Signed Up"},"next":"d"},
	  "nodes":[{"id":"d","delay":{"duration":"1h"},"next":"m"},{"id":"m","message":{"channel":"email","template":"welcome"}}]}}`
	s.mustDo(call{method: "POST", path: "/v1/journeys", body: v1}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/journeys/drip/publish"}, http.StatusOK)
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"u1","traits":{"email":"u1@example.com","first_name":"Ann"}},{"type":"track","userId":"u1","event":"Signed Up"}]}`}, http.StatusOK)
	s.eventually("/v1/profiles/user_id:u1/journeys", has(`"node":"d"`, `"version":1`))

	v2 := strings.NewReplacer(`"id":"d"`, `"id":"hold"`, `"next":"d"`, `"next":"hold"`, `"template":"welcome"`, `"template":"welcome2"`).Replace(v1)
	s.mustDo(call{method: "PUT", path: "/v1/journeys/drip", body: v2}, http.StatusOK)
	body := s.mustDo(call{method: "POST", path: "/v1/journeys/drip/publish", body: `{"migrate":{"d":"nope"}}`}, http.StatusBadRequest)
	require.Contains(t, body, `node \"nope\"`)
	body = s.mustDo(call{method: "POST", path: "/v1/journeys/drip/publish", body: `{"migrate":{"d":"hold"}}`}, http.StatusOK)
	require.Contains(t, body, `"migrated":1`)
	s.eventually("/v1/profiles/user_id:u1/journeys", has(`"node":"hold"`, `"version":2`))

	// The timer set under version 1 still fires; the message is version 2's.
	s.mustDo(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"61m"}`}, http.StatusOK)
	eventuallyTrue(t, "the email", func() bool { return len(smtp.Messages()) == 1 })
	require.Equal(t, "Welcome v2", smtp.Messages()[0].Header.Get("Subject"))
}
