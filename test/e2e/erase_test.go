package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// person is one test subject with unique, greppable identifiers.
type person struct {
	userID, anonID, email, phone string
}

func newPerson(tag string) person {
	n := rand.Uint64N(1e12)
	return person{
		userID: fmt.Sprintf("%s-user-%012d", tag, n),
		anonID: fmt.Sprintf("%s-anon-%012d", tag, n),
		email:  fmt.Sprintf("%s.%012d@erase.example", tag, n),
		// E.164 as sent, so the stored raw event and the normalized identifier are the same string.
		phone: fmt.Sprintf("+1415%07d", n%1e7),
	}
}

// events returns a person's identify (all four identifiers), a page and n
// tracks, messageIds prefixed by tag.
func (p person) events(tag string, n int) []map[string]any {
	evs := []map[string]any{
		{"type": "page", "messageId": tag + "-page", "anonymousId": p.anonID, "name": "Home"},
		{
			"type": "identify", "messageId": tag + "-identify", "userId": p.userID, "anonymousId": p.anonID,
			"traits": map[string]any{"email": p.email, "phone": p.phone, "name": "Erin Erase", "address": map[string]any{"city": "Eugene"}},
		},
	}
	for i := range n {
		evs = append(evs, map[string]any{
			"type": "track", "messageId": fmt.Sprintf("%s-track-%d", tag, i), "userId": p.userID, "event": "Order Completed",
			"properties": map[string]any{"order_id": fmt.Sprintf("%s-o-%d", tag, i), "email": p.email},
		})
	}
	return evs
}

func (p person) refs() []string {
	return []string{"user_id:" + p.userID, "anonymous_id:" + p.anonID, "email:" + p.email, "phone:" + p.phone}
}

func (p person) needles() []string { return []string{p.userID, p.anonID, p.email, p.phone} }

// TestEraseThroughBinary erases a person through the API, sends late events
// for them, rebuilds state from the log offline, and finally searches every
// byte of every file in the data folder for their identifiers. A second
// person is the control: they must survive all of it untouched.
func TestEraseThroughBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	key := s.createSource("erase-web", "web")
	erin, ctl := newPerson("erin"), newPerson("ctl")
	s.mustBatch(key, erin.events("erin", 3)...)
	s.mustBatch(key, ctl.events("ctl", 2)...)
	s.waitCaughtUp()

	p := s.mustProfile("email:" + erin.email)
	require.EqualValues(t, 5, p.EventCount)
	require.Equal(t, []string{"anonymous_id:" + erin.anonID, "email:" + erin.email, "phone:" + erin.phone, "user_id:" + erin.userID}, p.ids())
	control := s.mustProfile("user_id:" + ctl.userID)
	require.EqualValues(t, 4, control.EventCount)

	var rep struct {
		ProfileIDs  []string `json:"profile_ids"`
		Identifiers int      `json:"identifiers"`
		Events      int      `json:"events"`
	}
	s.apiJSON(http.MethodDelete, "/v1/profiles/email:"+erin.email, nil, http.StatusOK, &rep)
	require.Contains(t, rep.ProfileIDs, p.ID)
	require.Equal(t, 4, rep.Identifiers, "erasure report: %+v", rep)
	require.Equal(t, 5, rep.Events, "erasure report: %+v", rep)
	requireGone(t, s, erin, "after DELETE")

	// Late events for the erased person, by each identifier: suppressed.
	late := []map[string]any{
		{"type": "track", "messageId": "late-1", "userId": erin.userID, "event": "Order Completed"},
		{"type": "identify", "messageId": "late-2", "traits": map[string]any{"email": erin.email}, "anonymousId": "late-device-77231"},
		{"type": "page", "messageId": "late-3", "anonymousId": erin.anonID, "name": "Home"},
		{"type": "identify", "messageId": "late-4", "userId": "late-user-88123", "traits": map[string]any{"phone": erin.phone}},
	}
	s.mustBatch(key, late...)
	s.mustBatch(key, map[string]any{"type": "track", "messageId": "ctl-late", "userId": ctl.userID, "event": "Order Completed"})
	s.waitCaughtUp()
	requireGone(t, s, erin, "after late events")
	require.EqualValues(t, 5, s.mustProfile("user_id:"+ctl.userID).EventCount, "the control's late event counts")
	s.stop()

	res := runCLI(t, 60*time.Second, "rebuild", "--data", dir)
	require.Zero(t, res.code, "cairn rebuild:\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)

	s2 := startServer(t, dir)
	s2.waitCaughtUp()
	requireGone(t, s2, erin, "after rebuild")
	c2 := s2.mustProfile("user_id:" + ctl.userID)
	require.EqualValues(t, 5, c2.EventCount, "the control after rebuild")
	require.Equal(t, control.ids(), c2.ids(), "the control's identifiers after rebuild")
	s2.stop()

	hits := grepDir(t, dir, erin.needles())
	require.Empty(t, hits, "the erased person's identifiers are still in the data folder")
	// The search itself works: the control's identifiers are found.
	require.NotEmpty(t, grepDir(t, dir, []string{ctl.userID}), "self-check: the control's userId should be in the data folder")
}

// requireGone checks that no reference of p resolves to a profile.
func requireGone(t *testing.T, s *server, p person, when string) {
	t.Helper()
	for _, ref := range p.refs() {
		got, ok := s.profile(ref)
		require.False(t, ok, "%s: GET /v1/profiles/%s found profile %s (identifiers %v, %d events)",
			when, ref, got.ID, got.ids(), got.EventCount)
	}
}

// grepDir returns "file @offset: needle" for every occurrence of a needle in
// any file under dir (all bytes: databases, -wal and -shm files, anything).
func grepDir(t *testing.T, dir string, needles []string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		for _, n := range needles {
			for off := 0; ; off += len(n) {
				i := bytes.Index(b[off:], []byte(n))
				if i < 0 {
					break
				}
				off += i
				hits = append(hits, fmt.Sprintf("%s @%d: %q in …%s…", rel, off, n, printable(b[max(0, off-40):min(len(b), off+len(n)+40)])))
			}
		}
		return nil
	})
	require.NoError(t, err)
	return hits
}

// printable replaces non-printing bytes so a hit's context can be logged.
func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, string(b))
}
