package app

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Direct mail end to end: a send becomes a row of the open batch file; the
// vendor's confirmation that the piece came back suppresses the address.
func TestDirectMailBatchAndConfirmations(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	s.mustDo(call{method: "POST", path: "/v1/channels", body: fmt.Sprintf(`{"id":"direct_mail","type":"direct_mail","config":{"dir":%q,"prefix":"nto-catalog"}}`, dir)}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/templates", body: `{"id":"catalog","name":"Winter catalog","channel":"direct_mail","body":"Dear {{ profile.first_name }}, our winter catalog is here."}`}, http.StatusCreated)
	web := s.createSource("nto-web", "web")
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"u-ann","traits":{"first_name":"Ann","last_name":"Lee","address":{"street":"12 Pine Rd","city":"Denver","state":"CO","postal_code":"80202","country":"US"}}},
	  {"type":"identify","userId":"u-bob","traits":{"first_name":"Bob"}}]}`}, http.StatusOK)
	s.caughtUp()

	key := s.sendMessage("catalog", "user_id:u-ann")
	s.waitSend("user_id:u-ann", key, "sent")
	files, err := filepath.Glob(filepath.Join(dir, "nto-catalog-*.csv.open"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	require.Contains(t, string(b), key)
	require.Contains(t, string(b), "12 Pine Rd")
	require.Contains(t, string(b), "Dear Ann, our winter catalog is here.")

	// No postal address: skipped with the reason.
	noAddr := s.sendMessage("catalog", "user_id:u-bob")
	require.Equal(t, "missing_identifier", s.waitSend("user_id:u-bob", noAddr, "skipped"))

	// The vendor returns the piece: the address is suppressed.
	body := s.mustDo(call{method: "POST", path: "/v1/feedback/direct_mail", body: "key,status,date,reason\n" + key + ",returned,2026-11-03,moved away\nnosuch,delivered,2026-11-03,\n"}, http.StatusOK)
	require.Contains(t, body, `"recorded":1`)
	require.Contains(t, body, `"unknown_sends":1`)
	again := s.sendMessage("catalog", "user_id:u-ann")
	require.Equal(t, "suppressed", s.waitSend("user_id:u-ann", again, "skipped"))
	b, err = os.ReadFile(files[0])
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(b), "Pine Rd"), "nothing mailed to the returned address again")
}
