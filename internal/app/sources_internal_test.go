package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Cairn's own source is marked and cannot be given write keys (a key would
// make it look like a customer source and stop the server finding it).
func TestInternalSourceIsProtected(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.createSource("web", "web")
	var list struct {
		Sources []struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Internal bool   `json:"internal"`
		} `json:"sources"`
	}
	_, body := s.do(call{method: "GET", path: "/v1/sources"})
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	internal := ""
	for _, src := range list.Sources {
		require.Equal(t, src.Name == "cairn", src.Internal, src.Name)
		if src.Internal {
			internal = src.ID
		}
	}
	require.NotEmpty(t, internal)

	code, body := s.do(call{method: "POST", path: "/v1/sources/" + internal + "/keys"})
	require.Equal(t, http.StatusConflict, code, body)
	require.Contains(t, body, "takes no write keys")
	code, body = s.do(call{method: "GET", path: "/v1/sources/" + internal})
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"internal":true`)

	code, body = s.do(call{method: "POST", path: "/v1/sources", body: `{"name":"cairn","channel":"server"}`})
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, `"field":"name"`)
	code, body = s.do(call{method: "POST", path: "/v1/sources", body: `{"name":"web","channel":"web"}`})
	require.Equal(t, http.StatusConflict, code, body)
	require.Contains(t, body, `"field":"name"`)
}

// The profile list carries what a person recognises a customer by.
func TestProfileListDisplay(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	key := s.createSource("web", "web")
	code, body := s.do(call{method: "POST", path: "/v1/identify", auth: basic(key),
		body: `{"userId":"u-1","traits":{"email":"Pia@NTO.example","first_name":"Pia","last_name":"Lind"}}`})
	require.Equal(t, http.StatusOK, code, body)
	s.caughtUp()
	code, body = s.do(call{method: "GET", path: "/v1/profiles?limit=10"})
	require.Equal(t, http.StatusOK, code, body)
	var list struct {
		Profiles []struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Email  string `json:"email"`
			UserID string `json:"user_id"`
		} `json:"profiles"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	require.Len(t, list.Profiles, 1)
	p := list.Profiles[0]
	require.Equal(t, "Pia Lind", p.Name)
	require.Equal(t, "pia@nto.example", p.Email)
	require.Equal(t, "u-1", p.UserID)
	require.NotEmpty(t, p.ID)
}
