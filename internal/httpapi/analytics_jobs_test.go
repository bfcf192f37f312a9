package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/progress"
)

// blockUntilCancelled is an analysis that reads 3 profiles and then waits
// for its job to be cancelled.
func blockUntilCancelled(w http.ResponseWriter, r *http.Request) error {
	progress.From(r.Context()).Add(3)
	<-r.Context().Done()
	return r.Context().Err()
}

func jobRequest(t *testing.T, srv *httptest.Server, method, path, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer tok")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

type jobAnswer struct {
	ID       string            `json:"id"`
	Path     string            `json:"path"`
	Status   string            `json:"status"`
	Progress progress.Snapshot `json:"progress"`
	HTTP     int               `json:"http_status"`
	Result   string            `json:"result_url"`
}

func getJobAnswer(t *testing.T, srv *httptest.Server, id string) jobAnswer {
	t.Helper()
	code, _, body := jobRequest(t, srv, "GET", "/v1/analytics/jobs/"+id, "", nil)
	require.Equal(t, http.StatusOK, code, body)
	var j jobAnswer
	require.NoError(t, json.Unmarshal([]byte(body), &j))
	return j
}

func TestAnalysisJobs(t *testing.T) {
	t.Parallel()
	srv, _ := newFunnelServerState(t, []funnelEv{
		{user: "a", name: "Product Viewed", hours: 0},
		{user: "a", name: "Order Completed", hours: 2},
		{user: "b", name: "Product Viewed", hours: 0},
	})
	async := map[string]string{"Prefer": "respond-async, wait=0"}
	funnelBody := `{"steps":[{"event":"Product Viewed"},{"event":"Order Completed"}]}`

	// The subtests run in turn: they share the limit of running jobs.
	t.Run("with a wait preference a quick analysis answers at once and keeps no job", func(t *testing.T) {
		_, _, direct := jobRequest(t, srv, "POST", "/v1/analytics/funnels", funnelBody, nil)
		code, h, body := jobRequest(t, srv, "POST", "/v1/analytics/funnels", funnelBody, map[string]string{"Prefer": "respond-async, wait=10"})
		require.Equal(t, http.StatusOK, code, body)
		require.Empty(t, h.Get("Location"))
		require.JSONEq(t, direct, body)
		_, _, list := jobRequest(t, srv, "GET", "/v1/analytics/jobs", "", nil)
		require.NotContains(t, list, `"path":"/v1/analytics/funnels"`)
	})
	t.Run("a funnel as a job answers what the route answers", func(t *testing.T) {
		_, _, direct := jobRequest(t, srv, "POST", "/v1/analytics/funnels", funnelBody, nil)
		code, h, body := jobRequest(t, srv, "POST", "/v1/analytics/funnels", funnelBody, async)
		require.Equal(t, http.StatusAccepted, code, body)
		require.Equal(t, "respond-async", h.Get("Preference-Applied"))
		var j jobAnswer
		require.NoError(t, json.Unmarshal([]byte(body), &j))
		require.Equal(t, "/v1/analytics/jobs/"+j.ID, h.Get("Location"))
		require.Equal(t, "/v1/analytics/funnels", j.Path)
		require.Eventually(t, func() bool { return getJobAnswer(t, srv, j.ID).Status != jobRunning }, 10*time.Second, 5*time.Millisecond)
		j = getJobAnswer(t, srv, j.ID)
		require.Equal(t, jobSucceeded, j.Status)
		require.Equal(t, http.StatusOK, j.HTTP)
		require.Equal(t, jobProgressDone(2), j.Progress, "two profiles, read once")
		code, h, result := jobRequest(t, srv, "GET", j.Result, "", nil)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, "application/json", h.Get("Content-Type"))
		require.JSONEq(t, direct, result)

		// The route's formats and errors come through too.
		code, _, body = jobRequest(t, srv, "POST", "/v1/analytics/funnels", funnelBody, map[string]string{"Prefer": "respond-async", "Accept": "text/csv"})
		require.Equal(t, http.StatusAccepted, code, body)
		require.NoError(t, json.Unmarshal([]byte(body), &j))
		require.Eventually(t, func() bool { return getJobAnswer(t, srv, j.ID).Status != jobRunning }, 10*time.Second, 5*time.Millisecond)
		_, h, result = jobRequest(t, srv, "GET", "/v1/analytics/jobs/"+j.ID+"/result", "", nil)
		require.Equal(t, "text/csv; charset=utf-8", h.Get("Content-Type"))
		require.Contains(t, result, "Product Viewed")

		code, _, body = jobRequest(t, srv, "POST", "/v1/analytics/funnels", `{"steps":[]}`, async)
		require.Equal(t, http.StatusAccepted, code, body)
		require.NoError(t, json.Unmarshal([]byte(body), &j))
		require.Eventually(t, func() bool { return getJobAnswer(t, srv, j.ID).Status != jobRunning }, 10*time.Second, 5*time.Millisecond)
		j = getJobAnswer(t, srv, j.ID)
		require.Equal(t, jobFailed, j.Status)
		require.Equal(t, http.StatusUnprocessableEntity, j.HTTP)
		code, _, result = jobRequest(t, srv, "GET", j.Result, "", nil)
		require.Equal(t, http.StatusUnprocessableEntity, code)
		require.Contains(t, result, "validation_error")

		code, _, _ = jobRequest(t, srv, "DELETE", "/v1/analytics/jobs/"+j.ID, "", nil)
		require.Equal(t, http.StatusNoContent, code, "a finished job is forgotten")
		code, _, body = jobRequest(t, srv, "GET", "/v1/analytics/jobs/"+j.ID, "", nil)
		require.Equal(t, http.StatusNotFound, code, body)
	})

	t.Run("progress, the running limit and cancellation", func(t *testing.T) {
		var ids []string
		for i := range maxRunningJobs {
			pref := async
			if i == 0 { // waits a little, then takes the job
				pref = map[string]string{"Prefer": "respond-async, wait=0.05"}
			}
			code, _, body := jobRequest(t, srv, "POST", "/test/block", "", pref)
			require.Equal(t, http.StatusAccepted, code, body)
			var j jobAnswer
			require.NoError(t, json.Unmarshal([]byte(body), &j))
			ids = append(ids, j.ID)
		}
		code, _, body := jobRequest(t, srv, "POST", "/test/block", "", async)
		require.Equal(t, http.StatusServiceUnavailable, code, body)
		require.Contains(t, body, "analyses are running already")

		require.Eventually(t, func() bool { return getJobAnswer(t, srv, ids[0]).Progress.Done == 3 }, 10*time.Second, 5*time.Millisecond)
		j := getJobAnswer(t, srv, ids[0])
		require.Equal(t, jobRunning, j.Status)
		require.Equal(t, progress.Snapshot{Done: 3, Total: 2, Fraction: 0.99}, j.Progress, "total is the profile count; capped below 1 while running")
		code, _, body = jobRequest(t, srv, "GET", "/v1/analytics/jobs/"+ids[0]+"/result", "", nil)
		require.Equal(t, http.StatusConflict, code)
		require.Contains(t, body, "still running")

		for _, id := range ids {
			code, _, body = jobRequest(t, srv, "DELETE", "/v1/analytics/jobs/"+id, "", nil)
			require.Equal(t, http.StatusNoContent, code, body)
		}
		for _, id := range ids {
			require.Eventually(t, func() bool { return getJobAnswer(t, srv, id).Status == jobCancelled }, 10*time.Second, 5*time.Millisecond)
		}
		code, _, body = jobRequest(t, srv, "GET", "/v1/analytics/jobs/"+ids[1]+"/result", "", nil)
		require.Equal(t, http.StatusConflict, code)
		require.Contains(t, body, "was cancelled")
		code, _, body = jobRequest(t, srv, "GET", "/v1/analytics/jobs", "", nil)
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, body, ids[1])
	})

	code, _, body := jobRequest(t, srv, "GET", "/v1/analytics/jobs/job_nope", "", nil)
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, body, "job_nope")
}

func jobProgressDone(n int64) progress.Snapshot {
	return progress.Snapshot{Done: n, Total: n, Fraction: 1}
}

func TestWantsAsync(t *testing.T) {
	t.Parallel()
	for h, want := range map[string]bool{"": false, "respond-async": true, "Respond-Async": true, "wait=5, respond-async": true,
		"respond-async; x=y": true, "return=minimal": false, "respond-asynchronously": false} {
		r := httptest.NewRequest("GET", "/", nil)
		if h != "" {
			r.Header.Set("Prefer", h)
		}
		require.Equal(t, want, wantsAsync(r), "%q", h)
	}
	for h, want := range map[string]time.Duration{"respond-async": 0, "respond-async, wait=2": 2 * time.Second,
		`wait="0.5", respond-async`: 500 * time.Millisecond, "wait=600": maxPreferWait, "wait=-1": 0, "wait=soon": 0} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Prefer", h)
		require.Equal(t, want, preferWait(r), "%q", h)
	}
}
