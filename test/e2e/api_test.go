package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/stretchr/testify/require"
)

// catchUpTimeout bounds waiting for the processor to reach the log head.
const catchUpTimeout = 45 * time.Second

// stats is the body of GET /v1/stats.
type stats struct {
	Received   int64 `json:"received"`
	Stored     int64 `json:"stored"`
	Duplicates int64 `json:"duplicates"`
	Rejected   int64 `json:"rejected"`
	Head       int64 `json:"head"`
	Processed  int64 `json:"processed"`
	Profiles   int64 `json:"profiles"`
	LagEvents  int64 `json:"lag_events"`
}

// profileView is the part of GET /v1/profiles/{ref} the tests read.
type profileView struct {
	ID         string         `json:"id"`
	Traits     map[string]any `json:"traits"`
	Identities []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"identities"`
	Sources  []string `json:"sources"`
	Channels []string `json:"channels"`
	Accounts []struct {
		GroupID string `json:"group_id"`
	} `json:"accounts"`
	EventCount int64    `json:"event_count"`
	MergedFrom []string `json:"merged_from"`
}

// ids returns the profile's identifiers as sorted "type:value" strings.
func (p profileView) ids() []string {
	out := make([]string, 0, len(p.Identities))
	for _, i := range p.Identities {
		out = append(out, i.Type+":"+i.Value)
	}
	slices.Sort(out)
	return out
}

// groups returns the sorted group ids of the profile's accounts.
func (p profileView) groups() []string {
	out := make([]string, 0, len(p.Accounts))
	for _, a := range p.Accounts {
		out = append(out, a.GroupID)
	}
	slices.Sort(out)
	return out
}

// timelineEvent is one entry of GET /v1/profiles/{ref}/events.
type timelineEvent struct {
	Seq     int64  `json:"seq"`
	Type    string `json:"type"`
	Event   string `json:"event"`
	Channel string `json:"channel"`
	Payload struct {
		MessageID   string `json:"messageId"`
		UserID      string `json:"userId"`
		AnonymousID string `json:"anonymousId"`
	} `json:"payload"`
}

// api sends an admin request (body marshalled as JSON unless nil) and returns
// the status and body.
func (s *server) api(method, path string, body any) (int, []byte) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(s.t.Context(), method, s.url+path, rd)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.http.Do(req)
	require.NoError(s.t, err, "%s %s", method, path)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(s.t, err, "read the body of %s %s", method, path)
	return res.StatusCode, b
}

// apiJSON sends an admin request, requires status want and decodes the body into out (if non-nil).
func (s *server) apiJSON(method, path string, body any, want int, out any) {
	s.t.Helper()
	status, b := s.api(method, path, body)
	require.Equal(s.t, want, status, "%s %s answered %s", method, path, b)
	if out != nil {
		require.NoError(s.t, json.Unmarshal(b, out), "decode the answer of %s %s: %s", method, path, b)
	}
}

// createSource creates a source and returns its first write key.
func (s *server) createSource(name, channel string) string {
	s.t.Helper()
	var src struct {
		ID        string `json:"id"`
		Channel   string `json:"channel"`
		WriteKeys []struct {
			Key string `json:"key"`
		} `json:"write_keys"`
	}
	s.apiJSON(http.MethodPost, "/v1/sources", map[string]string{"name": name, "channel": channel, "party": "first"}, http.StatusCreated, &src)
	require.Equal(s.t, channel, src.Channel)
	require.NotEmpty(s.t, src.WriteKeys, "POST /v1/sources returned no write key")
	require.NotEmpty(s.t, src.WriteKeys[0].Key)
	return src.WriteKeys[0].Key
}

func (s *server) stats() stats {
	s.t.Helper()
	var st stats
	s.apiJSON(http.MethodGet, "/v1/stats", nil, http.StatusOK, &st)
	return st
}

// waitCaughtUp polls /v1/stats until the processor has applied the whole log
// (processed == head, no lag) and returns those stats.
func (s *server) waitCaughtUp() stats {
	s.t.Helper()
	var st stats
	poll(s.t, catchUpTimeout, s.exited, "processing to catch up with the log", func() (bool, string) {
		st = s.stats()
		return st.Processed == st.Head && st.LagEvents == 0, fmt.Sprintf("%+v", st)
	})
	return st
}

// profile fetches GET /v1/profiles/{ref}; ok is false on 404.
func (s *server) profile(ref string) (p profileView, ok bool) {
	s.t.Helper()
	status, b := s.api(http.MethodGet, "/v1/profiles/"+url.PathEscape(ref), nil)
	if status == http.StatusNotFound {
		return p, false
	}
	require.Equal(s.t, http.StatusOK, status, "GET /v1/profiles/%s answered %s", ref, b)
	require.NoError(s.t, json.Unmarshal(b, &p), "decode profile %s: %s", ref, b)
	return p, true
}

// mustProfile fetches a profile that must exist.
func (s *server) mustProfile(ref string) profileView {
	s.t.Helper()
	p, ok := s.profile(ref)
	require.True(s.t, ok, "GET /v1/profiles/%s: 404, want the profile", ref)
	return p
}

// timeline returns up to 1000 newest events of a profile.
func (s *server) timeline(ref string) []timelineEvent {
	s.t.Helper()
	var body struct {
		Events []timelineEvent `json:"events"`
	}
	s.apiJSON(http.MethodGet, "/v1/profiles/"+url.PathEscape(ref)+"/events?limit=1000", nil, http.StatusOK, &body)
	return body.Events
}

// collect posts a raw body to a collection endpoint with the write key as
// Basic auth and returns the status.
func (s *server) collect(path, writeKey string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(s.t.Context(), http.MethodPost, s.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth(writeKey, "")
	req.Header.Set("Content-Type", "application/json")
	res, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

// mustBatch posts {"batch": events} to /v1/batch and requires 200.
func (s *server) mustBatch(writeKey string, events ...map[string]any) {
	s.t.Helper()
	b, err := json.Marshal(map[string]any{"batch": events})
	require.NoError(s.t, err)
	status, err := s.collect("/v1/batch", writeKey, b)
	require.NoError(s.t, err, "POST /v1/batch")
	require.Equal(s.t, http.StatusOK, status, "POST /v1/batch")
}
