package httpapi

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

// memberState serves one live segment's members from memory; calling any
// other store method panics (the embedded interface is nil).
type memberState struct {
	store.State
	members []store.SegmentMember // ordered by profile id
	failAt  string                // SegmentMembers after this cursor fails
	fail    bool                  // arm failAt ("" is the first page)
	calls   int
}

func (m *memberState) GetSegment(_ context.Context, id string) (store.Segment, error) {
	if id != "seg_a" {
		return store.Segment{}, store.ErrNotFound
	}
	return store.Segment{ID: id, Version: 1}, nil
}

func (m *memberState) SegmentMembers(_ context.Context, _, after string, limit int) ([]store.SegmentMember, error) {
	m.calls++
	if m.fail && after == m.failAt {
		return nil, errors.New("disk on fire")
	}
	i, _ := slices.BinarySearchFunc(m.members, after, func(x store.SegmentMember, id string) int { return strings.Compare(x.ProfileID, id) })
	if i < len(m.members) && m.members[i].ProfileID == after {
		i++
	}
	return m.members[i:min(i+limit, len(m.members))], nil
}

type allLive struct{ Segments }

func (allLive) SegmentLive(string) bool { return true }

func (allLive) BackfillProgress(string) (int64, int64, bool) { return 0, 0, false }

func csvServer(t *testing.T, st *memberState) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	New(Deps{State: st, Segments: allLive{}, AdminToken: "tok", Logger: slog.New(slog.DiscardHandler)}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func getCSV(t *testing.T, srv *httptest.Server) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/v1/segments/seg_a/members.csv", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	return srv.Client().Do(req)
}

func TestSegmentMembersCSVPages(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 11, 1, 12, 0, 0, 500, time.UTC)
	for _, n := range []int{0, 1, csvPage, 2*csvPage + 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			st := &memberState{}
			for i := range n {
				st.members = append(st.members, store.SegmentMember{SegmentID: "seg_a", ProfileID: fmt.Sprintf("prof_%05d", i), Version: 2, Since: since})
			}
			resp, err := getCSV(t, csvServer(t, st))
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			rows, err := csv.NewReader(resp.Body).ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, n+1)
			require.Equal(t, []string{"profile_id", "since", "version"}, rows[0])
			for i, r := range rows[1:] {
				require.Equal(t, []string{st.members[i].ProfileID, "2026-11-01T12:00:00.0000005Z", "2"}, r)
			}
			require.Equal(t, n/csvPage+1, st.calls, "one store call per page, plus the one that finds the end")
		})
	}
}

func TestSegmentMembersCSVFailures(t *testing.T) {
	t.Parallel()
	st := &memberState{fail: true, failAt: fmt.Sprintf("prof_%05d", csvPage-1)}
	for i := range csvPage + 5 {
		st.members = append(st.members, store.SegmentMember{ProfileID: fmt.Sprintf("prof_%05d", i), Version: 1})
	}
	srv := csvServer(t, st)
	resp, err := getCSV(t, srv)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = io.ReadAll(resp.Body)
	require.Error(t, err, "a store error after the first page breaks the transfer instead of ending a short file")

	first, err := getCSV(t, csvServer(t, &memberState{fail: true}))
	require.NoError(t, err)
	defer first.Body.Close()
	body, err := io.ReadAll(first.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusInternalServerError, first.StatusCode, "the first page is read before the 200")
	require.Contains(t, string(body), `"code":"internal"`)
}
