package app

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An ad audience exports its segment as hashed customer lists, now on
// request and again (debounced) when the segment's membership changes.
func TestAudienceExport(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	web := s.createSource("nto-web", "web")
	seg := s.createSegment(`{"name":"VIP","text":"trait \"vip\" equals true"}`)
	s.mustDo(call{method: "POST", path: "/v1/audiences", body: `{"id":"vip-ads","segment":"nope"}`}, http.StatusBadRequest)
	s.mustDo(call{method: "POST", path: "/v1/audiences", body: `{"id":"vip-ads","segment":"` + seg + `","formats":["google","meta"]}`}, http.StatusCreated)
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	  {"type":"identify","userId":"u1","traits":{"vip":true,"email":" Ann@Example.com ","first_name":"Ann"}},
	  {"type":"identify","userId":"u2","traits":{"vip":false,"email":"bob@example.com"}}]}`}, http.StatusOK)
	s.caughtUp()
	s.eventually("/v1/segments/"+seg+"/members", has(`"size":1`))

	body := s.mustDo(call{method: "POST", path: "/v1/audiences/vip-ads/refresh"}, http.StatusOK)
	require.Contains(t, body, `"members":1`)
	dir := filepath.Join(s.a.cfg.DataDir, "audiences", "vip-ads")
	google, err := os.ReadFile(filepath.Join(dir, seg+"-google.csv"))
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("ann@example.com"))
	require.Contains(t, string(google), hex.EncodeToString(sum[:]), "trimmed, lowercased, SHA-256")
	require.NotContains(t, string(google), "bob")

	// Bob becomes a VIP: after the debounce quiet period the files follow.
	s.mustDo(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[{"type":"identify","userId":"u2","traits":{"vip":true}}]}`}, http.StatusOK)
	s.caughtUp()
	s.eventually("/v1/segments/"+seg+"/members", has(`"size":2`))
	bob := sha256.Sum256([]byte("bob@example.com"))
	eventuallyTrue(t, "the membership change reaches the debouncer", func() bool { return len(s.a.audiences.deb.Pending()) == 1 })
	s.mustDo(call{method: "POST", path: "/v1/admin/clock", body: `{"advance":"31s"}`}, http.StatusOK)
	eventuallyTrue(t, "the debounced refresh", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, seg+"-meta.csv"))
		return strings.Contains(string(b), hex.EncodeToString(bob[:]))
	})
	added, err := os.ReadFile(filepath.Join(dir, seg+"-meta-added.csv"))
	require.NoError(t, err)
	require.Contains(t, string(added), hex.EncodeToString(bob[:]))
}
