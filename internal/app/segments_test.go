package app

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// createSegment posts body and returns the new segment's id.
func (s *testServer) createSegment(body string) string {
	s.t.Helper()
	code, resp := s.do(call{method: "POST", path: "/v1/segments", body: body})
	require.Equal(s.t, http.StatusCreated, code, resp)
	var seg struct{ ID string }
	require.NoError(s.t, json.Unmarshal([]byte(resp), &seg))
	require.NotEmpty(s.t, seg.ID)
	return seg.ID
}

// quote returns s as a JSON string literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestSegmentDefinitions(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	buyers := s.createSegment(`{"name":"Recent buyers","description":"ordered in the last 30 days",
		"definition":{"performed":{"event":"Order Completed","window":{"within":"30d"}}}}`)
	gold := s.createSegment(`{"name":"Gold","text":"trait plan = \"gold\""}`)
	both := s.createSegment(`{"name":"Gold buyers","yaml":` + quote("and:\n  - in_segment: {match: all, ids: ["+gold+", "+buyers+"]}\n  - not: {trait: {path: plan, op: equals, value: free}}\n") + `}`)

	cases := []struct {
		name     string
		call     call
		status   int
		contains []string
		absent   []string
	}{
		{"get JSON form", call{method: "GET", path: "/v1/segments/" + buyers}, 200,
			[]string{`"status":"live"`, `"size":0`, `"version":1`, `"text":"performed \"Order Completed\" within 30d"`,
				`"definition":{"performed":{"event":"Order Completed","window":{"within":"30d"}}}`, `"description":"ordered in the last 30 days"`}, nil},
		{"text form is stored canonically", call{method: "GET", path: "/v1/segments/" + gold}, 200,
			[]string{`"definition":{"trait":{"path":"plan","op":"equals","value":"gold"}}`}, nil},
		{"yaml form", call{method: "GET", path: "/v1/segments/" + both}, 200,
			[]string{`"in_segment":{"match":"all","ids":["` + gold + `","` + buyers + `"]}`, `not trait plan = \"free\"`}, nil},
		{"list", call{method: "GET", path: "/v1/segments"}, 200, []string{buyers, gold, both, `"status":"live"`}, nil},
		{"needs token", call{method: "GET", path: "/v1/segments", auth: "none"}, 401, nil, nil},
		{"validation error names the node path", call{method: "POST", path: "/v1/segments", body: `{"name":"bad",
			"definition":{"and":[{"everyone":true},{"trait":{"path":"plan","op":"equals","value":"x"}},{"performed":{"event":"X","window":{"within":"-3d"}}}]}}`},
			400, []string{`"code":"bad_request"`, `"field":"definition.and[2].performed.window.within"`}, nil},
		{"type mismatch with hint", call{method: "POST", path: "/v1/segments", body: `{"name":"bad","text":"trait age > \"old\""}`},
			400, []string{`"field":"definition.trait.value"`}, nil},
		{"text syntax error names line and column", call{method: "POST", path: "/v1/segments", body: `{"name":"bad","text":"trait plan = "}`},
			400, []string{`"field":"text"`, "line 1, column "}, nil},
		{"yaml syntax error", call{method: "POST", path: "/v1/segments", body: `{"name":"bad","yaml":"and: [\n"}`},
			400, []string{`"field":"yaml"`, "not valid YAML"}, nil},
		{"two forms", call{method: "POST", path: "/v1/segments", body: `{"name":"bad","text":"everyone","definition":{"everyone":true}}`},
			400, []string{`"field":"definition"`, "exactly one"}, nil},
		{"definition must be an object", call{method: "POST", path: "/v1/segments", body: `{"name":"bad","definition":"everyone"}`},
			400, []string{`"field":"definition"`, "to send the text form use"}, nil},
		{"name required", call{method: "POST", path: "/v1/segments", body: `{"text":"everyone"}`}, 400, []string{`"field":"name"`}, nil},
		{"duplicate name", call{method: "POST", path: "/v1/segments", body: `{"name":"Gold","text":"everyone"}`}, 409, []string{"already exists"}, nil},
		{"unknown reference", call{method: "POST", path: "/v1/segments", body: `{"name":"dangling","text":"in_segment any [\"seg_nope\"]"}`},
			400, []string{`"field":"definition.in_segment.ids[0]"`, `unknown segment \"seg_nope\"`}, nil},
		{"cycle rejected with its chain", call{method: "PUT", path: "/v1/segments/" + gold, body: `{"text":"in_segment any [\"` + both + `\"]"}`},
			400, []string{"cycle", gold + " → " + both + " → " + gold}, nil},
		{"self reference rejected", call{method: "PUT", path: "/v1/segments/" + gold, body: `{"text":"in_segment any [\"` + gold + `\"]"}`},
			400, []string{"cycle"}, nil},
		{"unknown segment", call{method: "GET", path: "/v1/segments/seg_nope"}, 404, []string{"seg_nope"}, nil},
		{"referenced segment cannot be deleted", call{method: "DELETE", path: "/v1/segments/" + gold}, 409, []string{both}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.do(tc.call)
			require.Equal(t, tc.status, code, body)
			for _, c := range tc.contains {
				require.Contains(t, body, c)
			}
			for _, c := range tc.absent {
				require.NotContains(t, body, c)
			}
		})
	}

	t.Run("versions grow on PUT", func(t *testing.T) {
		code, body := s.do(call{method: "PUT", path: "/v1/segments/" + buyers,
			body: `{"text":"performed \"Order Completed\" within 14d"}`})
		require.Equal(t, 200, code, body)
		require.Contains(t, body, `"version":2`)
		require.Contains(t, body, `"name":"Recent buyers"`, "name kept when omitted")
		require.Contains(t, body, `"description":"ordered in the last 30 days"`, "description kept when omitted")
		code, body = s.do(call{method: "PUT", path: "/v1/segments/" + buyers,
			body: `{"name":"Buyers","description":"","definition":{"performed":{"event":"Order Completed"}}}`})
		require.Equal(t, 200, code, body)
		require.Contains(t, body, `"version":3`)
		require.NotContains(t, body, `"description"`)

		code, body = s.do(call{method: "GET", path: "/v1/segments/" + buyers + "/versions"})
		require.Equal(t, 200, code, body)
		var out struct {
			Versions []struct {
				Version int
				Text    string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		require.Len(t, out.Versions, 3)
		for i, want := range []string{"within 30d", "within 14d", ""} {
			require.Equal(t, i+1, out.Versions[i].Version)
			require.Contains(t, out.Versions[i].Text, `performed "Order Completed"`)
			if want != "" {
				require.Contains(t, out.Versions[i].Text, want)
			} else {
				require.NotContains(t, out.Versions[i].Text, "within")
			}
		}
	})

	t.Run("delete hides", func(t *testing.T) {
		code, body := s.do(call{method: "DELETE", path: "/v1/segments/" + both})
		require.Equal(t, http.StatusNoContent, code, body)
		for _, p := range []string{"/v1/segments/" + both, "/v1/segments/" + both + "/versions"} {
			code, body = s.do(call{method: "GET", path: p})
			require.Equal(t, 404, code, body)
			require.Contains(t, body, "deleted")
		}
		code, _ = s.do(call{method: "DELETE", path: "/v1/segments/" + both})
		require.Equal(t, 404, code)
		code, body = s.do(call{method: "GET", path: "/v1/segments"})
		require.Equal(t, 200, code)
		require.NotContains(t, body, both)
		code, body = s.do(call{method: "DELETE", path: "/v1/segments/" + gold})
		require.Equal(t, http.StatusNoContent, code, body, "no longer referenced")
		code, body = s.do(call{method: "GET", path: "/v1/audit"})
		require.Equal(t, 200, code)
		for _, a := range []string{"segment.create", "segment.update", "segment.delete"} {
			require.Contains(t, body, a)
		}
	})
}

func TestSegmentPreview(t *testing.T) {
	t.Parallel()
	s := startServer(t) // the clock stands at 2026-11-01T12:00:00Z
	web := s.createSource("nto-web", "web")
	code, body := s.do(call{method: "POST", path: "/v1/batch", auth: basic(web), body: `{"batch":[
	 {"type":"identify","userId":"u-1","traits":{"plan":"gold"},"timestamp":"2026-10-01T00:00:00Z"},
	 {"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":40},"timestamp":"2026-10-20T00:00:00Z"},
	 {"type":"identify","userId":"u-2","traits":{"plan":"free"},"timestamp":"2026-08-01T00:00:00Z"},
	 {"type":"track","userId":"u-2","event":"Order Completed","properties":{"revenue":500},"timestamp":"2026-09-01T00:00:00Z"},
	 {"type":"identify","userId":"u-3","traits":{"plan":"gold"},"timestamp":"2026-10-01T00:00:00Z"},
	 {"type":"page","userId":"u-3","name":"Home","timestamp":"2026-10-31T00:00:00Z"},
	 {"type":"track","userId":"u-4","event":"Order Completed","properties":{"revenue":250},"timestamp":"2026-10-30T00:00:00Z"}
	]}`})
	require.Equal(t, 200, code, body)
	s.caughtUp()
	ids := map[string]string{}
	for _, u := range []string{"u-1", "u-2", "u-3", "u-4"} {
		code, body := s.do(call{method: "GET", path: "/v1/profiles/user_id:" + u})
		require.Equal(t, 200, code, body)
		var p struct{ ID string }
		require.NoError(t, json.Unmarshal([]byte(body), &p))
		ids[u] = p.ID
	}
	gold := s.createSegment(`{"name":"Gold","text":"trait plan = \"gold\""}`)

	cases := []struct {
		name, body, query string
		matched           []string
	}{
		{"performed within 30d", `{"text":"performed \"Order Completed\" within 30d"}`, "", []string{"u-1", "u-4"}},
		{"where reads payloads", `{"definition":{"performed":{"event":"Order Completed","where":[{"property":"revenue","op":"gt","value":100}],"window":{"within":"30d"}}}}`, "", []string{"u-4"}},
		{"all time", `{"text":"performed \"Order Completed\" where revenue > 100"}`, "", []string{"u-2", "u-4"}},
		{"traits", `{"yaml":"trait: {path: plan, op: equals, value: gold}"}`, "", []string{"u-1", "u-3"}},
		{"did not perform", `{"text":"performed \"Order Completed\" count = 0"}`, "", []string{"u-3"}},
		{"in_segment and events", `{"text":"in_segment any [\"` + gold + `\"] and performed \"Order Completed\" within 30d"}`, "", []string{"u-1"}},
		{"aggregate", `{"text":"aggregate sum revenue of \"Order Completed\" >= 250"}`, "", []string{"u-2", "u-4"}},
		{"payloads only where filtered", `{"text":"performed \"Home\" or performed \"Order Completed\" where revenue > 300"}`, "", []string{"u-2", "u-3"}},
		{"first_performed has", `{"text":"first_performed \"Order Completed\" has revenue >= 250"}`, "", []string{"u-2", "u-4"}},
		{"everyone", `{"text":"everyone"}`, "", []string{"u-1", "u-2", "u-3", "u-4"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.do(call{method: "POST", path: "/v1/segments/preview" + tc.query, body: tc.body})
			require.Equal(t, 200, code, body)
			var res struct {
				Evaluated, Matched int
				Total              int64    `json:"total_profiles"`
				Estimated          int64    `json:"estimated_size"`
				Members            []string `json:"sample_members"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &res))
			require.Equal(t, 4, res.Evaluated)
			require.Equal(t, int64(4), res.Total)
			require.Equal(t, len(tc.matched), res.Matched)
			require.Equal(t, int64(len(tc.matched)), res.Estimated)
			want := make([]string, len(tc.matched))
			for i, u := range tc.matched {
				want[i] = ids[u]
			}
			require.ElementsMatch(t, want, res.Members)
		})
	}

	t.Run("sample bounds the evaluation and scales the estimate", func(t *testing.T) {
		code, body := s.do(call{method: "POST", path: "/v1/segments/preview?sample=2", body: `{"text":"everyone"}`})
		require.Equal(t, 200, code, body)
		require.Contains(t, body, `"evaluated":2`)
		require.Contains(t, body, `"matched":2`)
		require.Contains(t, body, `"estimated_size":4`)
		code, body = s.do(call{method: "POST", path: "/v1/segments/preview?sample=2",
			body: `{"definition":{"performed":{"event":"Order Completed","window":{"within":"30d"}}}}`})
		require.Equal(t, 200, code, body)
		require.Contains(t, body, `"text":"performed \"Order Completed\" within 30d"`, "the canonical text of a JSON definition")
		require.Contains(t, body, `"definition":{"performed":{`)
		code, body = s.do(call{method: "POST", path: "/v1/segments/preview?sample=0", body: `{"text":"everyone"}`})
		require.Equal(t, 400, code, body)
		require.Contains(t, body, `"field":"sample"`)
	})

	t.Run("preview saves nothing and validates like create", func(t *testing.T) {
		code, body := s.do(call{method: "POST", path: "/v1/segments/preview", body: `{"text":"subscription \"news\" subscribed"}`})
		require.Equal(t, 400, code, body)
		require.Contains(t, body, "journeys")
		code, body = s.do(call{method: "POST", path: "/v1/segments/preview", body: `{"text":"in_segment any [\"seg_nope\"]"}`})
		require.Equal(t, 400, code, body)
		require.Contains(t, body, "unknown segment")
		code, body = s.do(call{method: "GET", path: "/v1/segments"})
		require.Equal(t, 200, code)
		var out struct{ Segments []json.RawMessage }
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		require.Len(t, out.Segments, 1, strconv.Quote(body))
	})
}
